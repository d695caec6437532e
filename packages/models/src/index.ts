export { type BaseModelOptions, modelName } from './common.js';
export { lenet, type LeNetOptions } from './lenet.js';
export { AlexNet, alexnet, type AlexNetOptions } from './alexnet.js';
export { CONV_ARCH, smallConvArch, vgg, vgg11, type VggBlockSpec, type VggOptions, type Vgg11Options } from './vgg.js';
export { nin } from './nin.js';
export { googlenet } from './googlenet.js';
export { resnet18 } from './resnet.js';
export { MODEL_NAMES, type ModelName, type CreateModelOptions, createModel, defaultInputSize, isModelName } from './registry.js';
export { summary, formatSummary, type SummaryJson, type SummaryLayer, type SummaryStage, type SummaryInput, type SummaryOptions, type HasSummaryStages } from './summary.js';
