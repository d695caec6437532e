import type { Rng } from '@convnets/core';
import { Residual } from './residual.js';
import { Sequential } from './sequential.js';

/**
 * d2l's resnet_block(in_channels, out_channels, num_residuals, first_block=False): the first
 * Residual halves height and width with a 1×1-conv shortcut unless it is the first block
 * (which needs in_channels == out_channels); the rest keep the shape.
 */
export function resnetBlock(inChannels: number, outChannels: number, numResiduals: number, firstBlock = false, opts: { rng?: Rng } = {}): Sequential {
  if (firstBlock && inChannels !== outChannels) {
    throw new Error(`resnetBlock: the first block keeps the channels, so inChannels (${inChannels}) must equal outChannels (${outChannels})`);
  }
  const blk = new Sequential();
  for (let i = 0; i < numResiduals; i++) {
    blk.append(i === 0 && !firstBlock ? new Residual(inChannels, outChannels, true, 2, opts) : new Residual(outChannels, outChannels, false, 1, opts));
  }
  return blk;
}
