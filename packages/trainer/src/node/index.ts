/** @convnets/trainer/node — checkpoints on disk. */
export { FileCheckpointStore } from './file_checkpoint_store.js';
