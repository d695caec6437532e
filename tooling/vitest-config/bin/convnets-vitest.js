#!/usr/bin/env node
// A package's `test` script: `vitest run` (extra arguments pass through), then proof that it
// finished. vitest can exit 0 without having run every file (seen on a loaded machine: two of
// 27 files in the log, no summary, and turbo counted the task a success), so this wrapper
// reads the JSON report the preset has vitest write, and fails when it is missing, failed, or
// ran no tests. Under CI=true / CONVNETS_REQUIRE_ALL=1 a skipped suite is a failure too.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { requireAll, RESULTS_DIR, SKIPPED_DIR, SUMMARY_FILE } from '../system.js';

const REPORT = join(RESULTS_DIR, 'vitest.json');
const cwd = process.cwd();
const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).name;

function fail(message) {
  console.error(`${pkg}: ${message}`);
  process.exit(1);
}

rmSync(join(cwd, RESULTS_DIR), { recursive: true, force: true });

const vitestBin = createRequire(join(cwd, 'package.json')).resolve('vitest/vitest.mjs');
const child = spawn(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
// turbo (or Ctrl-C) stopping the task stops vitest, and its own children, with it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
const { code, signal } = await new Promise((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
if (signal) fail(`vitest was stopped by ${signal}`);
if (code !== 0) process.exit(code ?? 1);

if (!existsSync(REPORT)) fail(`vitest exited 0 but wrote no report (${REPORT}): the run did not finish, so it does not count as a pass`);
let report;
try {
  report = JSON.parse(readFileSync(REPORT, 'utf8'));
} catch (e) {
  fail(`vitest's report ${REPORT} is not JSON (${e instanceof Error ? e.message : e}): the run did not finish`);
}
const files = report.testResults ?? [];
const unfinished = files.filter((f) => f.status !== 'passed' && !(f.assertionResults ?? []).every((a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo'));
if (!report.success || report.numFailedTests > 0 || report.numFailedTestSuites > 0 || unfinished.length) {
  fail(`vitest exited 0 but its report says the run failed (${unfinished.map((f) => f.name).join(', ') || 'see above'})`);
}
if (report.numTotalTests === 0 || files.length === 0) fail(`vitest ran no tests (${REPORT})`);

const skipped = existsSync(join(cwd, SKIPPED_DIR))
  ? readdirSync(join(cwd, SKIPPED_DIR)).filter((f) => f.endsWith('.txt')).map((f) => JSON.parse(readFileSync(join(cwd, SKIPPED_DIR, f), 'utf8')))
  : [];
if (skipped.length && requireAll()) fail(`${skipped.length} suite(s) skipped for a missing system part, and CI=true or CONVNETS_REQUIRE_ALL=1 is set: see ${SKIPPED_DIR}/`);
const skippedTests = report.numPendingTests + report.numTodoTests;
// One file for the end of the run (tooling/test-summary): turbo restores it with a cached result.
const summary = { package: pkg, files: files.length, passed: report.numPassedTests, skippedTests, skipped };
writeFileSync(`${SUMMARY_FILE}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
renameSync(`${SUMMARY_FILE}.tmp`, SUMMARY_FILE);
console.log(`${pkg}: vitest finished: ${files.length} files, ${report.numPassedTests} tests passed${skippedTests ? `, ${skippedTests} skipped` : ''}${skipped.length ? `; ${skipped.length} suite(s) skipped for a missing system part (listed at the end of the run)` : ''}`);
