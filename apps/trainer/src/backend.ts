/** Starts the backend through core's useBackend and says what it picked, and what auto skipped. */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, BackendUnavailableError, useBackend, type BackendInfo, type BackendName, type SkippedBackend } from '@convnets/backends';
import { CliError } from './errors.js';

export async function startBackend(flag: BackendName | 'auto', wasmThreads?: number): Promise<BackendInfo> {
  // PROD silences tfjs's multi-line "install tfjs-node" console banner: the CLI prints its own backend line.
  tf.env().set('PROD', true);
  try {
    return await useBackend(flag, { wasmThreads });
  } catch (e) {
    if (e instanceof BackendUnavailableError) {
      throw new CliError(`${e.message}. Pick another with --backend (${alternativesTo(e.backend).join(', ')})`, { cause: e });
    }
    throw new CliError(`cannot start the ${flag} backend: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * What --backend could be instead of the one that failed: auto and the other backends that run
 * in Node (webgl needs a browser's canvas, so the CLI never offers it).
 */
export function alternativesTo(failed: BackendName): string[] {
  return ['auto', ...BACKEND_NAMES.filter((n) => n !== failed && n !== 'webgl')];
}

/**
 * Lines such as `backend: wasm (threads 2)`, `gpu: ...`, and one short `auto skipped` line for
 * each backend auto passed over for a reason worth knowing. The expected skips on a machine
 * without a GPU (tfjs-node-gpu not installed, no hardware GPU adapter) print only with
 * `verbose`, which also adds each skip's full reason.
 */
export function describeBackend(info: BackendInfo, { verbose = false } = {}): string[] {
  const details = info.details ? Object.entries(info.details).map(([k, v]) => `${k} ${String(v)}`) : [];
  const lines = [`backend: ${info.name}${details.length ? ` (${details.join(', ')})` : ''}`];
  if (info.adapter) {
    const a = info.adapter;
    const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unknown adapter';
    lines.push(`gpu: ${name}${a.isFallback ? ' (software fallback adapter)' : ''}`);
  }
  for (const s of info.skipped) {
    const { short, expected } = classifySkip(s);
    if (verbose) lines.push(`auto skipped ${s.name}: ${short}`, `  ${s.reason}`);
    else if (!expected) lines.push(`auto skipped ${s.name}: ${short} (--verbose for why)`);
  }
  return lines;
}

/**
 * A few words for a skip, and whether it is what a machine without a GPU always reports: the
 * loader's own kind when it gave one, else the reason's first words.
 */
export function classifySkip(s: SkippedBackend): { short: string; expected: boolean } {
  return { short: s.summary ?? firstWords(s.reason, 35), expected: s.noGpu ?? false };
}

/** The reason's first clause, cut at a word boundary to at most `max` characters. */
function firstWords(reason: string, max: number): string {
  const clause = reason.split(/\n|; |\. | \(|: /)[0]!.trim();
  if (clause.length <= max) return clause;
  let cut = '';
  for (const word of clause.split(' ')) {
    if ((cut ? cut.length + 1 : 0) + word.length > max - 1) break;
    cut = cut ? `${cut} ${word}` : word;
  }
  return `${cut || clause.slice(0, max - 1)}…`;
}
