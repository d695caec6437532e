import type { Rng } from '@convnets/core';
import { Conv2d } from './conv2d.js';
import { MaxPool2d } from './max_pool2d.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';

/**
 * The seed's vgg_block(num_convs, in_channels, out_channels): numConvs × (Conv2d 3×3 pad 1,
 * ReLU), then MaxPool2d(2, 2), which halves height and width. Children '0' … '2·numConvs'.
 */
export function vggBlock(numConvs: number, inChannels: number, outChannels: number, opts: { rng?: Rng } = {}): Sequential {
  if (!Number.isInteger(numConvs) || numConvs < 1) throw new Error(`vggBlock: numConvs must be a positive integer, got ${numConvs}`);
  const blk = new Sequential();
  for (let i = 0; i < numConvs; i++) {
    blk.append(new Conv2d(i === 0 ? inChannels : outChannels, outChannels, 3, 1, 1, opts));
    blk.append(new ReLU());
  }
  blk.append(new MaxPool2d(2, 2));
  return blk;
}
