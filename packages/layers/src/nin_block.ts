import type { Rng } from '@convnets/core';
import { Conv2d } from './conv2d.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';

/**
 * The seed's nin_block(in_channels, out_channels, kernel_size, stride, padding):
 * Conv2d(k, s, p), ReLU, then two 1×1 Conv2d + ReLU (per-pixel "fully connected" layers).
 * Children '0' … '5'; parameters 0, 2, 4.
 */
export function ninBlock(inChannels: number, outChannels: number, kernelSize: number, stride: number, padding: number, opts: { rng?: Rng } = {}): Sequential {
  return new Sequential(
    new Conv2d(inChannels, outChannels, kernelSize, stride, padding, opts),
    new ReLU(),
    new Conv2d(outChannels, outChannels, 1, 1, 0, opts),
    new ReLU(),
    new Conv2d(outChannels, outChannels, 1, 1, 0, opts),
    new ReLU(),
  );
}
