/**
 * The data order of an epoch depends only on (seed, epoch): training can resume at any epoch,
 * and the same order can be exported to feed PyTorch. `batches` uses exactly `epochOrder`.
 */
import { Rng } from '@convnets/core';

/** Independent random streams derived from one (seed, epoch). */
export const ORDER_STREAM = 0;
export const AUGMENT_STREAM = 1;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

/** A uint32 seed for stream `stream` of epoch `epoch` under `seed` (a hash of the three). */
export function epochSeed(seed: number, epoch: number, stream = ORDER_STREAM): number {
  checkInteger('seed', seed);
  checkInteger('epoch', epoch);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = fmix32(lo ^ 0x9e3779b9);
  h = fmix32(h ^ hi);
  h = fmix32((h + Math.imul(epoch >>> 0, 0x27d4eb2f)) >>> 0);
  return fmix32(h ^ Math.imul(stream + 1, 0x165667b1));
}

/** The permutation of 0..n-1 that a shuffled epoch visits, in order. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  checkInteger('n', n);
  return new Rng(epochSeed(seed, epoch, ORDER_STREAM)).permutation(n);
}

/** The random stream used for augmentation in an epoch. */
export function augmentRng(seed: number, epoch: number): Rng {
  return new Rng(epochSeed(seed, epoch, AUGMENT_STREAM));
}
