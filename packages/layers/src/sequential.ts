import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import { callChild, withChildPath } from './errors.js';
import { Conv2d } from './conv2d.js';
import { inferOutputShape, Layer } from './layer.js';
import { ReLU } from './relu.js';
import { Sigmoid } from './sigmoid.js';

/**
 * torch.nn.Sequential: children named '0', '1', … (or by addModule), run in order. A
 * LayerInputError from a child gets the child's name prefixed to its path, so errors from
 * nested Sequentials read `conv.5` or `vgg_block_3.2`.
 */
export class Sequential extends Layer {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.registerModule(String(i), m));
  }

  override get typeName(): string {
    return 'Sequential';
  }

  /** Appends a child under a name, like nn.Sequential.add_module. */
  addModule<M extends Module>(name: string, module: M): M {
    return this.registerModule(name, module);
  }

  /** Appends a child named by its index, like nn.Sequential.append. */
  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  get length(): number {
    return this.children().length;
  }

  /** The i-th child (negative counts from the end). */
  at(i: number): Module {
    const all = this.children();
    const m = all[i < 0 ? all.length + i : i];
    if (!m) throw new Error(`Sequential index ${i} is out of range (it has ${all.length} children)`);
    return m;
  }

  outputShape(inputShape: readonly number[]): number[] {
    let shape = [...inputShape];
    for (const [name, child] of this.namedChildren()) {
      shape = withChildPath(name, () => inferOutputShape(child, shape));
    }
    return shape;
  }

  forward(x: tf.Tensor): tf.Tensor {
    // Intermediate outputs are left to the caller's tf.tidy, as in every forward().
    const children = this.namedChildren();
    let y = x;
    for (let i = 0; i < children.length; i++) {
      const [name, child] = children[i]!;
      // Conv2d followed by ReLU or Sigmoid runs as one fused kernel; the result is the same.
      const next = children[i + 1]?.[1];
      if (child instanceof Conv2d && (next instanceof ReLU || next instanceof Sigmoid)) {
        const input = y;
        y = withChildPath(name, () => (next instanceof ReLU ? child.forwardRelu(input) : child.forwardSigmoid(input)));
        i++;
      } else {
        y = callChild(name, child, y);
      }
    }
    return y;
  }
}
