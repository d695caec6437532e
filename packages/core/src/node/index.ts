export { writeFileAtomic } from './write_file_atomic.js';
export { saveWeightsFile, loadWeightsFile } from './weights_file.js';
export { explainTensorflowFailure } from '../../../backends/src/node/tensorflow_loader.js';
export { explainTensorflowInstall, probeTensorflowInstall, type TensorflowInstall } from '../../../backends/src/node/tensorflow_loader.js';
export { nodeGpu } from '../../../backends/src/node/dawn.js';
export { defaultWasmThreads, parseWasmThreads, MAX_WASM_THREADS } from '../../../backends/src/node/wasm_threads.js';
