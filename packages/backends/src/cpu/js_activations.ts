/** The fused kernels' activations the cpu kernels compute themselves, as tfjs cpu does (null: linear). */
export const ACTIVATIONS: Record<string, ((v: number) => number) | null> = {
  linear: null,
  relu: (v) => (v < 0 ? 0 : v), // NaN stays NaN
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

/**
 * y (rows of n) plus the bias (n values, or 1 for all), then the activation, in place: the
 * epilogue of FusedConv2D and _FusedMatMul, rounded to float32 after each as tfjs's Add and
 * activation kernels store them.
 */
export function addBiasAndActivate(y: Float32Array, n: number, bias: Float32Array | undefined, activation: ((v: number) => number) | null): void {
  if (bias) {
    const step = bias.length === 1 ? 0 : 1;
    for (let i = 0; i < y.length; i += n) for (let j = 0; j < n; j++) y[i + j] = y[i + j]! + bias[j * step]!;
  }
  if (activation) for (let i = 0; i < y.length; i++) y[i] = activation(y[i]!);
}
