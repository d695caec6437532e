import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu } from '../test/helpers.js';
import { Conv2d } from './conv2d.js';
import { LayerInputError } from './errors.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import { MaxPool2d } from './max_pool2d.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';

beforeAll(cpu);

describe('Sequential', () => {
  it("names children '0', '1', … and by addModule, like nn.Sequential", () => {
    const s = new Sequential(new Conv2d(1, 2, 3), new ReLU());
    s.addModule('head', new Sequential(new Flatten(), new Linear(2 * 4 * 4, 3)));
    expect(s.namedChildren().map(([n]) => n)).toEqual(['0', '1', 'head']);
    expect(s.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', 'head.1.weight', 'head.1.bias']);
    expect(s.length).toBe(3);
    expect(s.toString()).toContain('(head): Sequential(\n    (0): Flatten()');
    const x = tf.ones([2, 6, 6, 1]);
    const y = s.forward(x);
    expect(y.shape).toEqual([2, 3]);
    expect(s.outputShape([2, 1, 6, 6])).toEqual([2, 3]);
    tf.dispose([x, y]);
    s.dispose();
  });

  it('prefixes child names to the path of an input error, in forward and in outputShape', () => {
    const s = new Sequential();
    s.addModule('conv', new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(3, 2)));
    const x = tf.zeros([1, 4, 4, 1]);
    let err: unknown;
    try {
      s.forward(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LayerInputError);
    const e = err as LayerInputError;
    expect(e.path).toBe('conv.2');
    expect(e.inputShape).toEqual([1, 4, 2, 2]);
    expect(e.message).toMatch(/^conv\.2 \(MaxPool2d\(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False\)\): input of shape \[1, 4, 2, 2\] \(NCHW\) is too small/);
    expect(() => s.outputShape([1, 1, 4, 4])).toThrow(/^conv\.2 \(MaxPool2d/);
    x.dispose();
    s.dispose();
  });
});
