// Assembles src/wasm/*.wat into src/wasm/*_wasm.ts (base64), once with a shared
// memory import (threaded tfjs-backend-wasm) and once without. `--check` fails if a file is stale.
// A line ";; include NAME.wat.inc" is replaced by that file: functions several modules share.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/wasm');
const SHARED = '(memory 1 65536 shared)';
const features = { simd: true, threads: true };
const wabt = await wabtInit();
const check = process.argv.includes('--check');
let stale = 0;

function assemble(name, text) {
  const mod = wabt.parseWat(name, text, features);
  try {
    mod.validate(features);
    return Buffer.from(mod.toBinary({}).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
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
  const out = [
    `// Generated from ${file} by scripts/gen-wasm.mjs (pnpm --filter @convnets/backends gen:wasm): do not edit.`,
    `export const SHARED_MEMORY = '${assemble(file, text)}';`,
    `export const OWN_MEMORY = '${assemble(file, text.replace(SHARED, '(memory 1)'))}';`,
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
