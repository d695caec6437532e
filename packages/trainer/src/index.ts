/**
 * @convnets/trainer — the seed's train_ch5 for TensorFlow.js, made dependable: PyTorch-exact
 * Adam/SGD, schedules, clipping, label smoothing, eval-mode evaluation, checkpoints that resume
 * bit for bit, divergence and leak guards. Browser-safe; the file checkpoint store is in
 * '@convnets/trainer/node'.
 */
export * from './types.js';
export { train, trainCh5, type Ch5Optimizer } from './train_ch5.js';
export { evaluate, predict, withEvalMode } from './evaluate.js';
export { softmaxCrossEntropy } from './loss.js';
export { Adam, type AdamOptions } from './adam.js';
export { Sgd, type SgdOptions } from './sgd.js';
export { createOptimizer, type OptimizerOptions } from './create_optimizer.js';
export type { Optimizer, OptimizerState, NamedVariable } from './optimizer.js';
export { learningRateAt, type LrSchedule } from './schedule.js';
export { clipGradNorm } from './clip_grad_norm.js';
export { DivergenceError, WeightsDivergedError } from './divergence_error.js';
export { formatEpochLine } from './format_epoch_line.js';
export { encodeCheckpoint, decodeCheckpoint, loadCheckpointWeights, maxCheckpointBytes, MemoryCheckpointStore, OPTIMIZER_PREFIX } from './checkpoint.js';
export { collectRngs, getRngStates, setRngStates, seedRngs } from './rng_state.js';
export { PRESET_NAMES, getPreset, type PresetName, type TrainConfig } from './presets.js';
export { buildPresetModel, trainOptionsFromConfig } from './preset_model.js';
export { applyTrainInit } from './initial_weights.js';
