import type { CreateModelOptions, ModelName } from '@convnets/models';
import type { AugmentOptions } from '@convnets/data';
import type { LrSchedule } from './schedule.js';
import type { TrainOptions } from './types.js';

export const PRESET_NAMES = ['book', 'seed', 'quick'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A complete recipe: what to build, how to feed it and how to train it. */
export interface TrainConfig extends Pick<TrainOptions, 'epochs' | 'batchSize' | 'lr' | 'optimizer' | 'momentum' | 'weightDecay'> {
  /** Side the images are resized to (and the model built for). */
  inputSize: number;
  /** 'xavier': xavier_uniform_ on Conv2d/Linear weights before training (d2l's train_ch6). */
  init?: 'default' | 'xavier';
  /** Train on a class-stratified subset of this many examples (dataset.limit). */
  limitTrain?: number;
  /** Evaluate on a class-stratified subset of this many test examples. */
  limitTest?: number;
  augment?: AugmentOptions | false;
  /** Passed to createModel (inputSize is added from the config). */
  modelOptions: Omit<CreateModelOptions, 'inputSize' | 'rng'>;
  schedule?: LrSchedule;
  /** Why these settings, in a sentence. */
  why: string;
  /** The accuracy the source reports, when it does. */
  reference?: { testAcc: number; source: string };
}

type Table = Record<ModelName, TrainConfig>;

const D2L = 'D2L (d2l.ai) on a CUDA GPU, 10 epochs';

const BOOK: Table = {
  lenet: {
    epochs: 10, batchSize: 256, lr: 0.9, optimizer: 'sgd', inputSize: 28, init: 'xavier',
    modelOptions: { activation: 'sigmoid', pool: 'avg' },
    why: "The book's train_ch6 recipe for its sigmoid/avg-pool LeNet: plain SGD at lr 0.9 with Xavier init, which sigmoid layers need to learn at all.",
    reference: { testAcc: 0.779, source: D2L },
  },
  alexnet: {
    epochs: 10, batchSize: 128, lr: 0.01, optimizer: 'sgd', inputSize: 224, init: 'xavier', modelOptions: {},
    why: "The book's AlexNet run: Fashion-MNIST upsampled to 224 so the ImageNet-sized strides fit, SGD at lr 0.01 with Xavier init.",
    reference: { testAcc: 0.883, source: D2L },
  },
  vgg11: {
    epochs: 10, batchSize: 128, lr: 0.05, optimizer: 'sgd', inputSize: 224, init: 'xavier', modelOptions: { widthRatio: 4 },
    why: "The book's VGG-11 with every width divided by 4 (ratio 4) to fit a GPU, SGD at lr 0.05 with Xavier init, 224 input.",
    reference: { testAcc: 0.92, source: D2L },
  },
  nin: {
    epochs: 10, batchSize: 128, lr: 0.1, optimizer: 'sgd', inputSize: 224, init: 'xavier', modelOptions: {},
    why: "The book's NiN run: SGD at lr 0.1 with Xavier init at 224 input; without BatchNorm it starts slowly, hence its lower accuracy.",
    reference: { testAcc: 0.79, source: D2L },
  },
  googlenet: {
    epochs: 10, batchSize: 128, lr: 0.1, optimizer: 'sgd', inputSize: 96, init: 'xavier', modelOptions: {},
    why: "The book's GoogLeNet run at 96 input (the book shrinks it from 224 to train in reasonable time), SGD at lr 0.1 with Xavier init.",
    reference: { testAcc: 0.886, source: D2L },
  },
  resnet18: {
    epochs: 10, batchSize: 256, lr: 0.05, optimizer: 'sgd', inputSize: 96, init: 'xavier', modelOptions: {},
    why: "The book's ResNet-18 run: SGD at lr 0.05, batch 256, 96 input, Xavier init.",
  },
};

const SEED: Table = {
  lenet: {
    epochs: 5, batchSize: 256, lr: 0.001, optimizer: 'adam', inputSize: 28, modelOptions: { activation: 'sigmoid', pool: 'avg' },
    why: "Dive-into-DL-PyTorch's LeNet recipe that the seed's chapter builds on: Adam at lr 0.001, batch 256, 28x28, PyTorch's default init.",
  },
  alexnet: {
    epochs: 3, batchSize: 16, lr: 0.001, optimizer: 'adam', inputSize: 224, modelOptions: {},
    why: "The seed's own AlexNet cell: Adam at lr 0.001, batch 16 (to fit its GPU), resize 224, 3 epochs.",
  },
  vgg11: {
    epochs: 5, batchSize: 16, lr: 0.001, optimizer: 'adam', inputSize: 224, modelOptions: { widthRatio: 8 },
    why: "The seed's VGG cell: the ratio-8 VGG-11, Adam at lr 0.001 for 5 epochs, with the batch size 16 its data loader was built with.",
  },
  nin: {
    epochs: 5, batchSize: 128, lr: 0.002, optimizer: 'adam', inputSize: 224, modelOptions: {},
    why: "The seed's NiN cell: Adam at lr 0.002, batch 128, resize 224, 5 epochs.",
  },
  googlenet: {
    epochs: 5, batchSize: 16, lr: 0.001, optimizer: 'adam', inputSize: 96, modelOptions: {},
    why: "The seed's GoogLeNet cell: Adam at lr 0.001, batch 16, 5 epochs, at the 96x96 resize it suggests.",
  },
  resnet18: {
    epochs: 5, batchSize: 256, lr: 0.001, optimizer: 'adam', inputSize: 96, modelOptions: {},
    why: "Dive-into-DL-PyTorch's ResNet-18 recipe in the seed's style: Adam at lr 0.001, batch 256, resize 96, 5 epochs.",
  },
};

const QUICK: Table = {
  lenet: {
    epochs: 3, batchSize: 128, lr: 0.003, optimizer: 'adam', inputSize: 28, modelOptions: { activation: 'relu', pool: 'max' },
    why:
      'ReLU + max-pool LeNet with Adam at lr 0.003, batch 128: PyTorch reaches 0.85/0.87/0.88 test accuracy after epochs 1-3, ' +
      "while the book's sigmoid LeNet with Adam only gets 0.60-0.74 (lr 0.001) or 0.66-0.80 (lr 0.01) in 3 epochs: sigmoids saturate and learn slowly.",
  },
  alexnet: {
    epochs: 2, batchSize: 32, lr: 0.001, optimizer: 'adam', inputSize: 67, init: 'xavier', limitTrain: 10000, limitTest: 2000,
    modelOptions: { hiddenLayers: 1 },
    why:
      'AlexNet at 67x67, the smallest input its 11/4 stem and three 3/2 max-pools accept (15→7→3→1), one 4096-unit hidden layer, ' +
      'Xavier init (with the default init it sits at chance for the first hundred steps) and Adam 0.001 on 10000 examples for 2 epochs: ' +
      'measured 0.80/0.83 test accuracy after epochs 1-2, 2-3 minutes at 135-195 img/s on a quiet 2-core machine (Intel Xeon / AMD EPYC).',
  },
  vgg11: {
    epochs: 3, batchSize: 32, lr: 0.001, optimizer: 'adam', inputSize: 32, init: 'xavier', limitTrain: 20000, limitTest: 2000,
    modelOptions: { widthRatio: 8 },
    why:
      "The seed's ratio-8 VGG-11 and Adam 0.001 at 32x32 (a multiple of 32, so the five halvings end at 1x1) on 20000 examples " +
      'for 3 epochs, Xavier init (with the default init it sits at chance for the first epoch): measured 0.78/0.83/0.86 test accuracy ' +
      'after epochs 1-3, 40-50 seconds at 1,350-1,800 img/s on a quiet 2-core machine (Intel Xeon / AMD EPYC).',
  },
  nin: {
    epochs: 4, batchSize: 32, lr: 0.001, optimizer: 'adam', inputSize: 67, init: 'xavier', limitTrain: 20000, limitTest: 2000, modelOptions: {},
    why:
      'NiN at 67x67 (its AlexNet-like 11/4 stem and three 3/2 max-pools need at least 67), Xavier init and Adam 0.001 for 4 epochs ' +
      'on 20000 examples: measured 0.63/0.67/0.70/0.70 test accuracy after epochs 1-4, about 10 minutes at ~140 img/s on a quiet ' +
      '2-core Intel Xeon (0.69/0.74/0.75/0.77 in 6 minutes on an AMD EPYC with the same code: the two round differently, and its ' +
      'training is that sensitive). It does not reach 0.80 in 10 minutes (epochs 5 and 6 gave 0.78 on the AMD machine), since without ' +
      'BatchNorm its stacked 1x1 convolutions and the ReLU before the global average pool learn slowly; lr 0.002 was worse (0.48 after epoch 1).',
  },
  googlenet: {
    epochs: 3, batchSize: 32, lr: 0.001, optimizer: 'adam', inputSize: 32, init: 'xavier', limitTrain: 20000, limitTest: 2000, modelOptions: {},
    why:
      "GoogLeNet at 32x32 (its stride-2 stages end at 1x1), Xavier init and the seed's Adam 0.001 for 3 epochs on 20000 examples: " +
      'measured 0.69/0.80/0.84 test accuracy after epochs 1-3, 6-9 minutes at 110-170 img/s on a quiet 2-core machine (Intel Xeon / AMD EPYC).',
  },
  resnet18: {
    epochs: 1, batchSize: 32, lr: 0.001, optimizer: 'adam', inputSize: 32, limitTrain: 1000, limitTest: 1000, modelOptions: {},
    why:
      'ResNet-18 at 32x32 with Adam 0.001 for one epoch on 1000 examples: BatchNorm lets it learn fast from the default init ' +
      '(0.75 test accuracy after 3000 examples), but its 11M parameters make each step slow on a CPU.',
  },
};

const TABLES: Record<PresetName, Table> = { book: BOOK, seed: SEED, quick: QUICK };

/** A copy of the preset's settings for a model (the book's, the seed's, or a minutes-long quick run). */
export function getPreset(model: ModelName, preset: PresetName): TrainConfig {
  const table = TABLES[preset];
  if (!table) throw new Error(`Unknown preset "${String(preset)}": choose one of ${PRESET_NAMES.join(', ')}`);
  const config = table[model];
  if (!config) throw new Error(`No ${preset} preset for model "${String(model)}"`);
  return structuredClone(config);
}
