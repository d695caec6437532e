import * as tf from '@tensorflow/tfjs-core';
import { Parameter } from './parameter.js';

/** A non-trainable state tensor saved in the state_dict (BatchNorm's running statistics). */
export class Buffer {
  readonly variable: tf.Variable;
  /** How PyTorch stores it: num_batches_tracked is int64 there. */
  readonly torchDtype: 'F32' | 'I64';

  /** Takes ownership of `value`: it is disposed once the variable holds its data. */
  constructor(value: tf.Tensor, torchDtype: 'F32' | 'I64' = 'F32') {
    this.variable = tf.variable(value, false);
    value.dispose();
    this.torchDtype = torchDtype;
  }

  get shape(): number[] {
    return this.variable.shape;
  }

  assign(value: tf.Tensor): void {
    this.variable.assign(value);
  }

  dispose(): void {
    this.variable.dispose();
  }
}

/**
 * The base of every layer and network, shaped like PyTorch's nn.Module: named children,
 * named parameters with state_dict names (`conv.0.weight`), train()/eval() modes.
 * Tensors are NHWC inside; names and saved layouts are PyTorch's.
 */
export abstract class Module {
  training = true;
  private readonly childModules = new Map<string, Module>();
  private readonly params = new Map<string, Parameter>();
  private readonly buffers = new Map<string, Buffer>();

  /** Computes the output for a batch. Called inside the caller's tidy scope. */
  abstract forward(x: tf.Tensor): tf.Tensor;

  /** The class name as PyTorch prints it (`Conv2d`, `Sequential`). */
  get typeName(): string {
    return this.constructor.name;
  }

  /** Extra text inside the parentheses of toString(), like PyTorch's extra_repr(). */
  extraRepr(): string {
    return '';
  }

  registerModule<M extends Module>(name: string, module: M): M {
    assertName(name, this.childModules, 'module');
    this.childModules.set(name, module);
    return module;
  }

  registerParameter(name: string, param: Parameter): Parameter {
    assertName(name, this.params, 'parameter');
    this.params.set(name, param);
    return param;
  }

  registerBuffer(name: string, buffer: Buffer): Buffer {
    assertName(name, this.buffers, 'buffer');
    this.buffers.set(name, buffer);
    return buffer;
  }

  namedChildren(): [string, Module][] {
    return [...this.childModules.entries()];
  }

  children(): Module[] {
    return [...this.childModules.values()];
  }

  /** This module and every descendant, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.childModules) {
      out.push(...child.namedModules(join(prefix, name)));
    }
    return out;
  }

  /** Parameters with PyTorch's state_dict names, in registration order. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [name, p] of this.params) out.push([join(prefix, name), p]);
    for (const [name, child] of this.childModules) out.push(...child.namedParameters(join(prefix, name)));
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, Buffer][] {
    const out: [string, Buffer][] = [];
    for (const [name, b] of this.buffers) out.push([join(prefix, name), b]);
    for (const [name, child] of this.childModules) out.push(...child.namedBuffers(join(prefix, name)));
    return out;
  }

  /** The variables an optimizer updates. */
  trainableVariables(): tf.Variable[] {
    return this.parameters().map((p) => p.variable);
  }

  /** Sets training mode here and in every descendant (dropout on, BatchNorm batch stats). */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.childModules.values()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode (dropout off, BatchNorm running stats). */
  eval(): this {
    return this.train(false);
  }

  /** The number of trainable scalars, as `sum(p.numel() for p in net.parameters())`. */
  numParams(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    for (const b of this.buffers.values()) b.dispose();
    for (const child of this.childModules.values()) child.dispose();
  }

  /** The module tree as PyTorch prints it with print(net). */
  toString(): string {
    const extra = this.extraRepr();
    if (this.childModules.size === 0) return `${this.typeName}(${extra})`;
    const lines = [`${this.typeName}(${extra}`];
    for (const [name, child] of this.childModules) {
      const text = child.toString().split('\n').join('\n  ');
      lines.push(`  (${name}): ${text}`);
    }
    lines.push(')');
    return lines.join('\n');
  }
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function assertName(name: string, taken: Map<string, unknown>, kind: string): void {
  if (!name || name.includes('.')) {
    throw new Error(`Invalid ${kind} name "${name}": names must be non-empty and contain no "."`);
  }
  if (taken.has(name)) throw new Error(`A ${kind} named "${name}" is already registered`);
}
