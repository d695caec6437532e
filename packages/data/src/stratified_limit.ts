/**
 * A deterministic, class-stratified subset: `limit` examples split evenly over the classes
 * (the first `limit % numClasses` classes get one more), the first ones of each class in file
 * order. Returned indices are in file order.
 */
export function stratifiedIndices(labels: Uint8Array, limit: number, numClasses = 10): Int32Array {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  const quota = new Array<number>(numClasses).fill(Math.floor(limit / numClasses));
  for (let c = 0; c < limit % numClasses; c++) quota[c]++;
  const out: number[] = [];
  for (let i = 0; i < labels.length && out.length < limit; i++) {
    const c = labels[i];
    if (quota[c] > 0) {
      quota[c]--;
      out.push(i);
    }
  }
  return Int32Array.from(out);
}

/** Examples per class. */
export function classCounts(labels: Uint8Array, numClasses = 10): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
