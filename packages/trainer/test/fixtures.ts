/** Shared helpers for the trainer's tests: a small deterministic Fashion-MNIST subset. */
import { loadFashionMnist } from '@convnets/data/node';
import type { FashionMnist } from '@convnets/data';

const cache = new Map<string, { train: FashionMnist; test: FashionMnist }>();

/** Class-stratified subsets (default 512 training and 256 test examples), loaded once per test file. */
export async function smallSplits(trainSize = 512, testSize = 256): Promise<{ train: FashionMnist; test: FashionMnist }> {
  const key = `${trainSize}/${testSize}`;
  let splits = cache.get(key);
  if (!splits) {
    splits = {
      train: await loadFashionMnist({ split: 'train', limit: trainSize }),
      test: await loadFashionMnist({ split: 'test', limit: testSize }),
    };
    cache.set(key, splits);
  }
  return splits;
}
