/** Starts the backend through core's useBackend and says what it picked, and what auto skipped. */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, useBackend, type BackendInfo, type BackendName } from '@convnets/backends';
import { CliError } from './errors.js';

export async function startBackend(flag: BackendName | 'auto', wasmThreads?: number): Promise<BackendInfo> {
  // PROD silences tfjs's multi-line "install tfjs-node" console banner: the CLI prints its own backend line.
  tf.env().set('PROD', true);
  try {
    return await useBackend(flag, { wasmThreads });
  } catch (e) {
    if (e instanceof BackendUnavailableError) {
      throw new CliError(`${e.message}. Pick another with --backend (auto, tensorflow, webgpu, wasm, cpu)`, { cause: e });
    }
    throw new CliError(`cannot start the ${flag} backend: ${(e as Error).message}`, { cause: e });
  }
}

/** Lines such as `backend: wasm (threads 2)`, `gpu: ...`, `auto skipped: tensorflow (...)`. */
export function describeBackend(info: BackendInfo): string[] {
  const details = info.details ? Object.entries(info.details).map(([k, v]) => `${k} ${String(v)}`) : [];
  const lines = [`backend: ${info.name}${details.length ? ` (${details.join(', ')})` : ''}`];
  if (info.adapter) {
    const a = info.adapter;
    const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unknown adapter';
    lines.push(`gpu: ${name}${a.isFallback ? ' (software fallback adapter)' : ''}`);
  }
  for (const s of info.skipped) lines.push(`  auto skipped ${s.name}: ${firstSentence(s.reason)}`);
  return lines;
}

function firstSentence(reason: string): string {
  const line = reason.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
