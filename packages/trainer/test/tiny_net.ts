/** Small stand-in networks for the trainer's tests (built on core only). */
import * as tf from '@tensorflow/tfjs-core';
import { defaultRng, Module, Parameter, Rng } from '@convnets/core';

function uniform(shape: number[], bound: number, rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(-bound, bound);
  return tf.tensor(v, shape);
}

export class Conv extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(inC: number, outC: number, k: number, readonly pad: number, rng: Rng) {
    super();
    const b = 1 / Math.sqrt(inC * k * k);
    this.weight = this.registerParameter('weight', new Parameter(uniform([k, k, inC, outC], b, rng), 'conv2d'));
    this.bias = this.registerParameter('bias', new Parameter(uniform([outC], b, rng)));
  }
  override get typeName(): string {
    return 'Conv2d';
  }
  forward(x: tf.Tensor): tf.Tensor {
    const p = this.pad;
    const padded = p ? tf.pad(x as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]]) : x;
    return tf.add(tf.conv2d(padded as tf.Tensor4D, this.weight.value as tf.Tensor4D, 1, 'valid'), this.bias.value);
  }
}

export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(inF: number, outF: number, rng: Rng) {
    super();
    const b = 1 / Math.sqrt(inF);
    this.weight = this.registerParameter('weight', new Parameter(uniform([inF, outF], b, rng), 'linear'));
    this.bias = this.registerParameter('bias', new Parameter(uniform([outF], b, rng)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.value as tf.Tensor2D), this.bias.value);
  }
}

/** Dropout drawing its masks from core's default Rng (as a layers Dropout without its own rng). */
export class Dropout extends Module {
  constructor(readonly p: number) {
    super();
  }
  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = tf.step(tf.sub(tf.randomUniform(x.shape, 0, 1, 'float32', defaultRng().tfSeed()), this.p));
    return tf.div(tf.mul(x, mask), 1 - this.p);
  }
}

/** Conv(1→c, 3x3) · ReLU · MaxPool 2 · Flatten · Dropout · Linear(→10), for 28x28 (or any) input. */
export class TinyNet extends Module {
  readonly conv: Conv;
  readonly drop: Dropout;
  readonly fc: Linear;
  constructor(opts: { channels?: number; inputSize?: number; dropout?: number; seed?: number } = {}) {
    super();
    const rng = new Rng(opts.seed ?? 1);
    const c = opts.channels ?? 4;
    const s = opts.inputSize ?? 28;
    this.conv = this.registerModule('conv', new Conv(1, c, 3, 1, rng));
    this.drop = this.registerModule('drop', new Dropout(opts.dropout ?? 0.3));
    this.fc = this.registerModule('fc', new Linear(c * Math.floor(s / 2) ** 2, 10, rng));
  }
  forward(x: tf.Tensor): tf.Tensor {
    const h = tf.maxPool(tf.relu(this.conv.forward(x)) as tf.Tensor4D, 2, 2, 'valid');
    return this.fc.forward(this.drop.forward(tf.reshape(h, [h.shape[0], -1])));
  }
}

/** LeNet with ReLU and max-pooling (the quick preset's variant), for speed checks before models lands. */
export class LeNetRelu extends Module {
  readonly c1: Conv;
  readonly c2: Conv;
  readonly f1: Linear;
  readonly f2: Linear;
  readonly f3: Linear;
  constructor(seed = 0) {
    super();
    const rng = new Rng(seed);
    this.c1 = this.registerModule('c1', new Conv(1, 6, 5, 2, rng));
    this.c2 = this.registerModule('c2', new Conv(6, 16, 5, 0, rng));
    this.f1 = this.registerModule('f1', new Linear(400, 120, rng));
    this.f2 = this.registerModule('f2', new Linear(120, 84, rng));
    this.f3 = this.registerModule('f3', new Linear(84, 10, rng));
  }
  forward(x: tf.Tensor): tf.Tensor {
    let h: tf.Tensor = tf.maxPool(tf.relu(this.c1.forward(x)) as tf.Tensor4D, 2, 2, 'valid');
    h = tf.maxPool(tf.relu(this.c2.forward(h)) as tf.Tensor4D, 2, 2, 'valid');
    h = tf.reshape(h, [h.shape[0], -1]);
    h = tf.relu(this.f1.forward(h));
    h = tf.relu(this.f2.forward(h));
    return this.f3.forward(h);
  }
}
