export { writeFileAtomic } from './write_file_atomic.js';
export { saveWeightsFile, loadWeightsFile, maxWeightsFileBytes, readWeightsBytes } from './weights_file.js';
export { checkRegularFile, readRegularFile, FileReadError } from './read_regular_file.js';
