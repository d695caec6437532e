/** What the figures were measured on. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { defaultWasmThreads } from '@convnets/backends/node';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  tfjs: string;
  torch: string | null;
  platform: string;
  date: string;
  loadAverage: number[];
  /** Threads of the wasm rows run through @convnets/core (each row's process inherits the env). */
  wasmThreads: number;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function tfjsVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(torch: string | null): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tfjsVersion(),
    torch,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    wasmThreads: defaultWasmThreads(),
  };
}
