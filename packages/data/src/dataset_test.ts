import { describe, expect, it } from 'vitest';
import { makeFixture } from '../test/fixtures.js';
import { FASHION_MNIST_CLASSES, FashionMnist } from './index.js';

describe('FashionMnist', () => {
  const f = makeFixture(200);
  const ds = new FashionMnist({ split: 'test', images: f.pixels, labels: f.labels, source: { kind: 'memory' } });

  it('holds pixels, labels, source and class names', () => {
    expect(ds.length).toBe(200);
    expect(ds.classes).toBe(FASHION_MNIST_CLASSES);
    expect(FASHION_MNIST_CLASSES[0]).toBe('T-shirt/top');
    expect(FASHION_MNIST_CLASSES[9]).toBe('Ankle boot');
    expect(ds.classCounts()).toEqual(new Array(10).fill(20));
    expect(Array.from(ds.image(3))).toEqual(Array.from(f.pixels.subarray(3 * 784, 4 * 784)));
  });

  it('limits to a stratified subset, first ones in file order', () => {
    const small = ds.limit(50);
    expect(small.length).toBe(50);
    expect(small.classCounts()).toEqual(new Array(10).fill(5));
    expect(small.source).toEqual({ kind: 'memory' });
    expect(Array.from(small.image(0))).toEqual(Array.from(ds.image(0)));
    expect(ds.limit(500)).toBe(ds);
  });

  it('checks that pixels and labels agree', () => {
    expect(() => new FashionMnist({ split: 'test', images: new Uint8Array(10), labels: f.labels, source: { kind: 'memory' } })).toThrow(/do not make 200 images/);
  });
});
