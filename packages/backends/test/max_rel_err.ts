import { expect } from 'vitest';
import { relativeError } from './relative_error.js';

/** The largest absolute difference, relative to the largest reference value; the lengths must agree. */
export function maxRelErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(got.length).toBe(ref.length);
  return relativeError(got, ref);
}
