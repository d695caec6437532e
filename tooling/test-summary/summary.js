#!/usr/bin/env node
// The last task of `pnpm turbo test` (its turbo.json makes its `test` wait for every other
// package's): one line per package's tests, then one line per suite that was skipped for a
// missing part (a system package, or Node 24 from the registry), naming the command that gets
// it. Under CI=true / CONVNETS_REQUIRE_ALL=1 a skipped suite fails the run here too, so it never
// counts as a pass.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCommand, PARTS, probeSystem, REPO_ROOT, requireAll, SUMMARY_FILE } from '@convnets/vitest-config/system';

const self = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const waitsFor = new Set(Object.keys(self.devDependencies ?? {}));

/** The workspace's package directories, from pnpm-workspace.yaml's `packages:` list. */
function workspaceDirs() {
  const yaml = readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const block = yaml.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const dirs = [];
  for (const [, glob] of block.matchAll(/^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/gm)) {
    if (glob.endsWith('/*')) {
      const parent = join(REPO_ROOT, glob.slice(0, -2));
      if (existsSync(parent)) for (const d of readdirSync(parent, { withFileTypes: true })) if (d.isDirectory()) dirs.push(join(parent, d.name));
    } else dirs.push(join(REPO_ROOT, glob));
  }
  return dirs.filter((d) => existsSync(join(d, 'package.json')));
}

const lines = [];
const skipped = [];
const unordered = [];
for (const dir of workspaceDirs()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const test = pkg.scripts?.test;
  if (!test || pkg.name === self.name) continue;
  if (!waitsFor.has(pkg.name)) unordered.push(pkg.name);
  if (!test.includes('convnets-vitest')) continue;
  const file = join(dir, SUMMARY_FILE);
  if (!existsSync(file)) {
    lines.push(`  ${pkg.name}: no ${SUMMARY_FILE} (its test task did not finish through convnets-vitest)`);
    continue;
  }
  const s = JSON.parse(readFileSync(file, 'utf8'));
  lines.push(`  ${s.package}: ${s.files} files, ${s.passed} tests passed${s.skippedTests ? `, ${s.skippedTests} skipped` : ''}`);
  skipped.push(...s.skipped);
}

if (unordered.length) {
  console.error(`test-summary: ${unordered.join(', ')} ha${unordered.length > 1 ? 've' : 's'} a test script but tooling/test-summary/package.json does not list it in devDependencies ("workspace:*"), so this summary could run before it: add it and run pnpm install.`);
  process.exit(1);
}

console.log('convnets test summary:');
for (const l of lines) console.log(l);
if (!skipped.length) {
  console.log('  every suite ran: no system part was missing.');
  process.exit(0);
}
const strict = requireAll();
console.log(`SKIPPED ${skipped.length} suite(s) for a missing part${strict ? '' : ' (CI=true or CONVNETS_REQUIRE_ALL=1 makes this a failure)'}:`);
for (const s of skipped) {
  // turbo replays a cached result without rerunning it: say so when the part is here now.
  const now = PARTS.includes(s.part) ? await probeSystem(s.part) : { ok: false }; // not a system package (Node 24): no probe
  const stale = now.ok ? ` [${s.part} is here now: this result is from turbo's cache or an earlier run; rerun with pnpm turbo test --force]` : '';
  console.log(`  SKIPPED ${s.package} ${s.suite}: ${s.reason}${stale}`);
}
if (skipped.some((s) => PARTS.includes(s.part))) console.log(`  every system package at once: ${installCommand()}`);
if (strict) {
  console.error('test-summary: CI=true or CONVNETS_REQUIRE_ALL=1 is set, so a skipped suite fails the run.');
  process.exit(1);
}
