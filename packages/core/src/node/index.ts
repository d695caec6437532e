export { writeFileAtomic } from './write_file_atomic.js';
export { saveWeightsFile, loadWeightsFile, maxWeightsFileBytes, readWeightsBytes } from './weights_file.js';
export { checkRegularFile, readRegularFile, FileReadError } from './read_regular_file.js';
export { explainTensorflowFailure } from './tensorflow_loader.js';
export { explainTensorflowInstall, probeTensorflowInstall, type TensorflowInstall } from './tensorflow_loader.js';
export { nodeGpu } from './dawn.js';
export { defaultWasmThreads, parseWasmThreads, MAX_WASM_THREADS } from './wasm_threads.js';
