import type { Module } from '@convnets/core';
import { AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Sigmoid } from '@convnets/layers';
import { type BaseModelOptions, positiveInt, setModelName, shapeThrough } from './common.js';

export interface LeNetOptions extends BaseModelOptions {
  /** 'sigmoid' is the book's; 'relu' the modern variant. Default 'sigmoid'. */
  activation?: 'sigmoid' | 'relu';
  /** 'avg' is the book's; 'max' the modern variant. Default 'avg'. */
  pool?: 'avg' | 'max';
  /** Input side in pixels (sizes the first Linear: 16·5·5 at 28). Default 28. */
  inputSize?: number;
}

/**
 * The book's LeNet (d2l 5.5) as an nn.Sequential:
 *
 *   Conv2d(1, 6, 5, padding=2), Sigmoid, AvgPool2d(2, 2),
 *   Conv2d(6, 16, 5), Sigmoid, AvgPool2d(2, 2),
 *   Flatten, Linear(16·5·5, 120), Sigmoid, Linear(120, 84), Sigmoid, Linear(84, 10)
 *
 * state_dict keys 0, 3, 7, 9, 11 (.weight/.bias) whatever the activation and pooling.
 */
export function lenet(opts: LeNetOptions = {}): Sequential {
  const inChannels = positiveInt('lenet: inChannels', opts.inChannels ?? 1);
  const numClasses = positiveInt('lenet: numClasses', opts.numClasses ?? 10);
  const inputSize = positiveInt('lenet: inputSize', opts.inputSize ?? 28);
  const activation = opts.activation ?? 'sigmoid';
  const pool = opts.pool ?? 'avg';
  if (activation !== 'sigmoid' && activation !== 'relu') throw new Error(`lenet: activation must be 'sigmoid' or 'relu', got ${JSON.stringify(activation)}`);
  if (pool !== 'avg' && pool !== 'max') throw new Error(`lenet: pool must be 'avg' or 'max', got ${JSON.stringify(pool)}`);
  const rng = opts.rng;
  const act = (): Module => (activation === 'sigmoid' ? new Sigmoid() : new ReLU());
  const downsample = (): Module => (pool === 'avg' ? new AvgPool2d(2, 2) : new MaxPool2d(2, 2));

  const features: Module[] = [
    new Conv2d(inChannels, 6, 5, 1, 2, { rng }), act(), downsample(),
    new Conv2d(6, 16, 5, 1, 0, { rng }), act(), downsample(),
    new Flatten(),
  ];
  const [, flat] = shapeThrough(features.map((m, i) => [String(i), m] as const), [1, inChannels, inputSize, inputSize]);
  const net = new Sequential(
    ...features,
    new Linear(flat, 120, { rng }), act(),
    new Linear(120, 84, { rng }), act(),
    new Linear(84, numClasses, { rng }),
  );
  return setModelName(net, 'lenet');
}

