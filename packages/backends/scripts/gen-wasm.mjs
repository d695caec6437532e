// Assembles src/wasm/*.wat into src/wasm/*_wasm.ts (base64), once with a shared
// memory import (threaded tfjs-backend-wasm) and once without. `--check` fails if a file is stale.
// A line ";; include NAME.wat.inc" is replaced by that file: functions several modules share.
// `(madd A B C)` is A·B + C on f32x4 lanes: `f32x4.add (f32x4.mul A B) C` in the SIMD128 builds
// and one fused `f32x4.relaxed_madd A B C` in the relaxed-SIMD builds (RELAXED_*), which a module
// gets only where it uses madd. Both come from the same text, so they cannot drift apart.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/wasm');
const SHARED = '(memory 1 65536 shared)';
const features = { simd: true, threads: true };
const relaxedFeatures = { ...features, relaxed_simd: true };
const wabt = await wabtInit();
const check = process.argv.includes('--check');
let stale = 0;

function assemble(name, text, relaxed) {
  const wanted = relaxed ? relaxedFeatures : features;
  const mod = wabt.parseWat(name, expandMadd(name, text, relaxed), wanted);
  try {
    mod.validate(wanted);
    return Buffer.from(mod.toBinary({}).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
}

/** The end (exclusive) of the s-expression or atom that starts at or after `i`. */
function sexprEnd(file, text, i) {
  while (/\s/.test(text[i])) i++;
  if (text[i] !== '(') {
    const m = /^[^\s()]+/.exec(text.slice(i));
    if (!m) throw new Error(`${file}: madd expects 3 operands at offset ${i}`);
    return i + m[0].length;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j + 1;
  }
  throw new Error(`${file}: unbalanced parentheses in a madd at offset ${i}`);
}

/** Every `(madd A B C)` (operands may hold madds) as SIMD128 or relaxed-SIMD text; .wat comments must not spell one. */
function expandMadd(file, text, relaxed) {
  const at = text.indexOf('(madd ');
  if (at < 0) return text;
  const a = at + '(madd'.length;
  const aEnd = sexprEnd(file, text, a);
  const bEnd = sexprEnd(file, text, aEnd);
  const cEnd = sexprEnd(file, text, bEnd);
  const close = text.indexOf(')', cEnd) + 1;
  if (close === 0 || text.slice(cEnd, close - 1).trim()) throw new Error(`${file}: madd takes exactly 3 operands (offset ${at})`);
  const [A, B, C] = [text.slice(a, aEnd), text.slice(aEnd, bEnd), text.slice(bEnd, cEnd)].map((op) => expandMadd(file, op.trim(), relaxed));
  const fused = relaxed ? `(f32x4.relaxed_madd ${A} ${B} ${C})` : `(f32x4.add (f32x4.mul ${A} ${B}) ${C})`;
  return text.slice(0, at) + fused + expandMadd(file, text.slice(close), relaxed);
}

const withIncludes = (file, text) =>
  text.replace(/^[ \t]*;; include (\S+\.wat\.inc)[ \t]*$/gm, (_, inc) => {
    try {
      return readFileSync(join(dir, inc), 'utf8');
    } catch {
      throw new Error(`${file}: cannot include ${inc} (expected it in ${dir})`);
    }
  });

for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const text = withIncludes(file, readFileSync(join(dir, file), 'utf8'));
  if (!text.includes(SHARED)) throw new Error(`${file}: expected the memory import ${SHARED}`);
  const base = file.replace(/\.wat$/, '');
  const own = text.replace(SHARED, '(memory 1)');
  const out = [
    `// Generated from ${file} by scripts/gen-wasm.mjs (pnpm --filter @convnets/backends gen:wasm): do not edit.`,
    `export const SHARED_MEMORY = '${assemble(file, text, false)}';`,
    `export const OWN_MEMORY = '${assemble(file, own, false)}';`,
    ...(text.includes('(madd ')
      ? [
          `export const RELAXED_SHARED_MEMORY = '${assemble(file, text, true)}';`,
          `export const RELAXED_OWN_MEMORY = '${assemble(file, own, true)}';`,
        ]
      : []),
    '',
  ].join('\n');
  const target = join(dir, `${base}_wasm.ts`);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current === out) continue;
  if (check) {
    console.error(`${target} is stale: run pnpm --filter @convnets/backends gen:wasm`);
    stale++;
    continue;
  }
  writeFileSync(`${target}.tmp`, out);
  renameSync(`${target}.tmp`, target);
  console.log(`wrote ${target}`);
}
process.exit(stale ? 1 : 0);
