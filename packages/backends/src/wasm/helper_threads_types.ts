/** Worker threads running one export of a wasm module on the backend's shared memory. */
export interface HelperThreads {
  readonly count: number;
  /** Posts callsArgs[i] to helper i, runs `own` on this thread meanwhile, then waits for all. */
  run(callsArgs: readonly (readonly number[])[], own: () => void): void;
}

export type StartHelperThreads = (memory: WebAssembly.Memory, module: WebAssembly.Module, name: string, count: number) => HelperThreads | undefined;
