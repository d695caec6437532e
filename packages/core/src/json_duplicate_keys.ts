/**
 * JSON.parse keeps the last of repeated keys without a word; the safetensors reference
 * implementation rejects them. This scans (already valid) JSON text for the first key that
 * appears twice in one object.
 */
export function firstDuplicateKey(json: string): string | undefined {
  // One Set of keys per open object; null for an open array.
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      let k = j + 1;
      while (k < json.length && /\s/.test(json[k])) k++;
      if (top && json[k] === ':') {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
      }
      i = j + 1;
      continue;
    }
    i++;
  }
  return undefined;
}
