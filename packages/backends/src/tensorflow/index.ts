export { loadTensorflow, explainTensorflowFailure, explainTensorflowInstall, probeTensorflowInstall, type TensorflowInstall } from './tensorflow_loader.js';
