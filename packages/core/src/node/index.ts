export { writeFileAtomic } from './write_file_atomic.js';
export { saveWeightsFile, loadWeightsFile } from './weights_file.js';
