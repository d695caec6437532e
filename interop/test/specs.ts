/** The networks cross-checked: our createModel() call ↔ check.py's --model name. */
import type { CreateModelOptions, ModelName } from '@convnets/models';

export interface ModelSpec {
  /** check.py --model. */
  torch: string;
  /** createModel(name, options). */
  name: ModelName;
  options: CreateModelOptions;
  /** Input side (the seed's). */
  inputSize: number;
  /** Batch of the random input: 2 for the 224×224 networks keeps CI fast. */
  batch: number;
}

export const SPECS: readonly ModelSpec[] = [
  { torch: 'lenet', name: 'lenet', options: {}, inputSize: 28, batch: 8 },
  { torch: 'lenet-relu', name: 'lenet', options: { activation: 'relu', pool: 'max' }, inputSize: 28, batch: 8 },
  { torch: 'alexnet', name: 'alexnet', options: { hiddenLayers: 1 }, inputSize: 224, batch: 2 },
  { torch: 'alexnet2', name: 'alexnet', options: { hiddenLayers: 2 }, inputSize: 224, batch: 2 },
  { torch: 'vgg11-8', name: 'vgg11', options: { widthRatio: 8 }, inputSize: 224, batch: 2 },
  { torch: 'nin', name: 'nin', options: {}, inputSize: 224, batch: 2 },
  { torch: 'googlenet', name: 'googlenet', options: {}, inputSize: 96, batch: 2 },
];
