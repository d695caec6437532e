export { nodeGpu } from './dawn.js';
export { enableRelaxedSimd } from './wasm_simd.js';
export { defaultWasmThreads, parseWasmThreads, MAX_WASM_THREADS, loadWasmNode } from './wasm_threads.js';
export { explainTensorflowFailure, explainTensorflowInstall, probeTensorflowInstall, type TensorflowInstall } from '../tensorflow/index.js';
