import * as tf from '@tensorflow/tfjs-core';
import { activationBiasGrad } from '@convnets/core';
import type { FusedConv2DAttrs, GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

export type ConvPad = 'valid' | [[number, number], [number, number], [number, number], [number, number]];
export type ConvActivation = 'linear' | 'relu' | 'sigmoid';

/**
 * The gradient of tfjs's FusedConv2D kernel (convolution + bias + activation in one kernel,
 * XNNPACK's on wasm), as lazy per-input functions: the tape then skips the input gradient
 * where nothing upstream needs it (the first layer), which tf.fused.conv2d's customGrad
 * cannot. tfjs registers no gradient for the kernel itself: its fused ops record a custom one,
 * so this one only applies to fusedConv2d below.
 */
const fusedConv2DGrad: GradConfig = {
  kernelName: 'FusedConv2D',
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dimRoundingMode, activation } = attrs as unknown as FusedConv2DAttrs;
    if (activation !== 'linear' && activation !== 'relu' && activation !== 'sigmoid') {
      throw new Error(`fusedConv2d: no gradient for activation '${activation}' (use 'linear', 'relu' or 'sigmoid')`);
    }
    // On wasm, the activation's gradient and the bias gradient in one pass; elsewhere tfjs's formulas.
    const fused = activation === 'linear' ? null : activationBiasGrad(dy as Tensor, y, activation);
    const g = fused?.g ?? (activation === 'relu' ? tf.mul(dy as Tensor, tf.step(y)) : activation === 'sigmoid' ? tf.mul(dy as Tensor, tf.mul(y, tf.sub(1, y))) : (dy as Tensor));
    const conv = { strides, pad, dataFormat: 'NHWC', dimRoundingMode };
    return {
      x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter }, { ...conv, inputShape: x.shape } as never) as Tensor,
      filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, { ...conv, filterShape: filter.shape } as never) as Tensor,
      bias: () => fused?.db ?? tf.sum(g, [0, 1, 2]),
    };
  },
};

let gradientRegistered = false;

/**
 * activation(conv2d(x, filter) + bias) in NHWC as one FusedConv2D kernel, trainable: no
 * separate broadcast add and relu passes (an Add over LeNet's first activation took 6 ms of
 * a 75 ms wasm step), and no input gradient for a network's first layer.
 */
export function fusedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, strides: [number, number], pad: ConvPad, activation: ConvActivation): tf.Tensor4D {
  if (!gradientRegistered) {
    tf.registerGradient(fusedConv2DGrad);
    gradientRegistered = true;
  }
  // The kernel is called directly, without the dtype check tf.conv2d makes.
  if (x.dtype !== 'float32') throw new Error(`Conv2d: the input must be a float32 tensor, got ${x.dtype} (cast it with tf.cast(x, 'float32'))`);
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  const attrs = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation, leakyreluAlpha: 0 };
  return tf.engine().runKernel('FusedConv2D', inputs, attrs as never) as tf.Tensor4D;
}
