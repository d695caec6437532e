// The system parts some suites need (Chromium, Mesa for Dawn's WebGPU, PyTorch, the Debian
// data set), as tooling/system-packages.txt lists them. A suite asks with
//   const chromium = await requireSystem('chromium', import.meta.url);
//   describe.skipIf(!chromium.ok)(...)
// A missing part fails the suite, naming the package, under CI=true or CONVNETS_REQUIRE_ALL=1;
// otherwise the suite is skipped and leaves a line in <package>/test-results/skipped/ that the
// end of `pnpm turbo test` prints (tooling/test-summary).
import { spawn } from 'node:child_process';
import { constants, accessSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGES_FILE = join(REPO_ROOT, 'tooling', 'system-packages.txt');
/** Where a package's test task leaves its report and skip lines (a turbo output). */
export const RESULTS_DIR = 'test-results';
export const SKIPPED_DIR = join(RESULTS_DIR, 'skipped');
/** What the package's run did, for the summary at the end of `pnpm turbo test`. */
export const SUMMARY_FILE = join(RESULTS_DIR, 'summary.json');

/** Whether a missing system part is a failure (CI, or asked for) rather than a skip. */
export function requireAll(env = process.env) {
  return isSet(env.CI) || isSet(env.CONVNETS_REQUIRE_ALL);
}

function isSet(v) {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** tooling/system-packages.txt as { name, noRecommends, part } rows. */
export function systemPackages(file = PACKAGES_FILE) {
  const rows = [];
  for (const [i, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, how, part, extra] = line.split(/\s+/);
    if (!part || extra !== undefined || (how !== 'default' && how !== 'no-recommends')) {
      throw new Error(`${file}:${i + 1}: expected "package default|no-recommends part", got "${line}"`);
    }
    rows.push({ name, noRecommends: how === 'no-recommends', part });
  }
  return rows;
}

/** The apt-get command that installs `rows` (recommends off where the list says so). */
export function installCommand(rows = systemPackages()) {
  const plain = rows.filter((r) => !r.noRecommends).map((r) => r.name);
  const lean = rows.filter((r) => r.noRecommends).map((r) => r.name);
  const cmds = [];
  if (plain.length) cmds.push(`sudo apt-get install -y ${plain.join(' ')}`);
  if (lean.length) cmds.push(`sudo apt-get install -y --no-install-recommends ${lean.join(' ')}`);
  return cmds.join(' && ');
}

function packagesOf(part) {
  const rows = systemPackages().filter((r) => r.part === part);
  if (!rows.length) throw new Error(`requireSystem: no part "${part}" in ${PACKAGES_FILE}`);
  return rows;
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const TRIPLET = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? `${process.arch}-linux-gnu`;
/** A file each Mesa package puts where Dawn's GL ES backend loads it from. */
const MESA_FILES = {
  libegl1: `/usr/lib/${TRIPLET}/libEGL.so.1`,
  'libegl-mesa0': `/usr/lib/${TRIPLET}/libEGL_mesa.so.0`,
  libgles2: `/usr/lib/${TRIPLET}/libGLESv2.so.2`,
  'libgl1-mesa-dri': `/usr/lib/${TRIPLET}/dri/swrast_dri.so`,
};

export const PYTHON = '/usr/bin/python3';
const FASHION_MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => `${f}.gz`);

/** Runs a command without blocking the event loop; kills it after `timeoutMs`. */
export function runCommand(cmd, args, { timeoutMs = 300_000, cwd, env } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, signal: null, stdout, stderr, error, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Each probe: null when the part is there, else what is missing (and which packages). */
const PROBES = {
  async chromium(env) {
    const path = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    return executable(path) ? null : { what: `${path} is not an executable file`, packages: packagesOf('chromium') };
  },
  async mesa() {
    const missing = packagesOf('mesa').filter((r) => !existsSync(MESA_FILES[r.name] ?? '/nonexistent'));
    if (!missing.length) return null;
    return { what: `Mesa's EGL/GL ES for WebGPU in Node (Dawn) lacks ${missing.map((r) => MESA_FILES[r.name]).join(', ')}`, packages: missing };
  },
  async torch() {
    const r = await runCommand(PYTHON, ['-c', 'import numpy, torch; print(torch.__version__)'], { timeoutMs: 300_000 });
    if (r.code === 0) return null;
    const why = r.error ? `${PYTHON} cannot run (${r.error.message})`
      : r.timedOut ? `${PYTHON} -c 'import torch' did not finish in 5 minutes`
      : `${PYTHON} cannot import numpy and torch (${r.stderr.trim().split('\n').pop()})`;
    return { what: why, packages: packagesOf('torch') };
  },
  async 'fashion-mnist'() {
    const dir = '/usr/share/datasets/fashion-mnist';
    const ok = FASHION_MNIST_FILES.every((f) => existsSync(join(dir, f)));
    return ok ? null : { what: `${dir} lacks the Fashion-MNIST files`, packages: packagesOf('fashion-mnist') };
  },
};

export const PARTS = Object.keys(PROBES);

/** Whether `part` is on this machine: { ok: true } or { ok: false, reason } (reason names the install command). */
export async function probeSystem(part, env = process.env) {
  const probe = PROBES[part];
  if (!probe) throw new Error(`requireSystem: unknown part "${part}"; known: ${PARTS.join(', ')}`);
  const missing = await probe(env);
  if (!missing) return { ok: true, part, reason: '' };
  return { ok: false, part, reason: `${missing.what}; install: ${installCommand(missing.packages)}` };
}

function packageName(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name ?? relative(REPO_ROOT, dir);
  } catch {
    return relative(REPO_ROOT, dir);
  }
}

/**
 * Checks for a system part before a suite runs. `suite` names it in the skip line: a test
 * file's `import.meta.url`, or words ("the PyTorch cross-checks").
 */
export async function requireSystem(part, suite, { cwd = process.cwd(), env = process.env } = {}) {
  const found = await probeSystem(part, env);
  if (!found.ok) recordMissing(part, suite, found.reason, { cwd, env });
  return found;
}

/**
 * A suite that cannot run without `part` (a system package, or anything else: Node 24 from the
 * registry): under CI=true or CONVNETS_REQUIRE_ALL=1 this throws, naming the part and `reason`
 * (which says how to get it); otherwise it records a skip line for the end of `pnpm turbo test`.
 */
export function recordMissing(part, suite, reason, { cwd = process.cwd(), env = process.env } = {}) {
  const label = suite.startsWith('file:') ? relative(cwd, fileURLToPath(suite)) : suite;
  const pkg = packageName(cwd);
  if (requireAll(env)) {
    throw new Error(`${pkg} ${label} needs ${part}: ${reason} (CI=true or CONVNETS_REQUIRE_ALL=1: a missing system part is a failure)`);
  }
  const dir = join(cwd, SKIPPED_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${label.replace(/[^\w.-]+/g, '_')}.txt`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ package: pkg, suite: label, part, reason })}\n`);
  renameSync(tmp, file);
  console.warn(`${pkg}: skipping ${label}: ${reason}`);
}

// `node tooling/vitest-config/system.js` prints the command that installs every package.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(installCommand());
}
