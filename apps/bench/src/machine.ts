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
  /** Load averages (1, 5, 15 min) when the run ended: mostly the bench's own work. */
  loadAverage: number[];
  /** Load averages before the run did anything: other work on the machine. */
  loadAverageAtStart: number[];
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

const roundLoads = (loads: number[]) => loads.map((l) => Math.round(l * 100) / 100);

/** `loadAtStart`: os.loadavg() as the run began, before its own processes added to it. */
export function machineInfo(torch: string | null, loadAtStart: number[]): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tfjsVersion(),
    torch,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: roundLoads(os.loadavg()),
    loadAverageAtStart: roundLoads(loadAtStart),
    wasmThreads: defaultWasmThreads(),
  };
}
