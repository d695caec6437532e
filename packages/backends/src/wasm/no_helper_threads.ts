import type { StartHelperThreads } from './helper_threads_types.js';

/**
 * Browsers: none. A page's main thread may not block on Atomics.wait, and tfjs-backend-wasm
 * runs threaded there only on cross-origin-isolated pages; the loops run on the calling thread.
 */
export const helperThreads: StartHelperThreads = () => undefined;
