/**
 * What the network sees (worker side): for one image, every layer's output as grayscale maps,
 * and the first convolution's filters. Display scaling only: the layer walk is the models
 * package's walkLayers, the same one the architecture table prints.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import { Conv2d, Sequential, torchOrder } from '@convnets/layers';
import { walkLayers } from '@convnets/models';
import type { ActivationLayer, ActivationsMsg } from './protocol.js';

/** At most this many channels of a layer are drawn (AlexNet's 96 would be a wall). */
export const MAX_MAPS = 32;
/** Vectors (after Flatten) are drawn as one strip of at most this many units. */
const MAX_UNITS = 256;

/** [1,H,W,C] → [C',H,W] scaled to 0..255 over the whole layer; [1,F] → [1,1,F']. */
function toMaps(output: tf.Tensor): tf.Tensor3D {
  if (output.rank === 4) {
    const first = tf.slice(output as tf.Tensor4D, [0, 0, 0, 0], [1, -1, -1, Math.min(MAX_MAPS, output.shape[3]!)]);
    return scale(tf.transpose(tf.squeeze<tf.Tensor3D>(first, [0]), [2, 0, 1]), false);
  }
  const units = tf.slice(tf.reshape(output, [1, -1]), [0, 0], [1, Math.min(MAX_UNITS, output.size)]);
  return scale(tf.reshape<tf.Rank.R3>(units, [1, 1, -1]), false);
}

/** Min-max to 0..255; `centered`: 0 stays mid-gray (weights are signed). */
function scale(t: tf.Tensor3D, centered: boolean): tf.Tensor3D {
  if (centered) {
    const m = tf.maximum(tf.max(tf.abs(t)), 1e-12);
    return tf.clipByValue(tf.round(tf.add(tf.mul(tf.div(t, m), 127.5), 127.5)), 0, 255) as tf.Tensor3D;
  }
  const lo = tf.min(t);
  const span = tf.maximum(tf.sub(tf.max(t), lo), 1e-12);
  return tf.clipByValue(tf.round(tf.mul(tf.div(tf.sub(t, lo), span), 255)), 0, 255) as tf.Tensor3D;
}

/** Histograms read at most this many values of a weight tensor (evenly strided). */
const HISTOGRAM_SAMPLE = 20_000;
const HISTOGRAM_BINS = 24;

interface WeightSample {
  name: string;
  size: number;
  sample: tf.Tensor1D;
}

/**
 * Strided samples of every weight tensor (at most HISTOGRAM_SAMPLE values each), taken
 * synchronously: the caller reads them after its awaits, when training may have replaced the
 * weights or a new network may have disposed them.
 */
function weightSamples(model: Module): WeightSample[] {
  const out: WeightSample[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (!name.endsWith('weight')) continue;
    const w = p.value;
    const stride = Math.max(1, Math.ceil(w.size / HISTOGRAM_SAMPLE));
    const flat = tf.reshape<tf.Rank.R1>(w, [-1]);
    const sample = stride === 1 ? tf.clone(flat) : tf.gather(flat, tf.range(0, w.size, stride, 'int32'));
    out.push({ name, size: w.size, sample: tf.keep(sample) });
  }
  return out;
}

/** Bins the samples into histograms, reading each back asynchronously and disposing it. */
async function weightHistograms(samples: WeightSample[]): Promise<ActivationsMsg['histograms']> {
  const out: ActivationsMsg['histograms'] = [];
  for (const { name, size, sample } of samples) {
    const values = (await sample.data()) as Float32Array;
    sample.dispose();
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    const span = max - min || 1;
    for (const v of values) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - min) / span) * HISTOGRAM_BINS))]++;
    out.push({ name, size, sampled: values.length, min, max, counts });
  }
  return out;
}

function firstConv(model: Module): Conv2d | undefined {
  for (const [, m] of model.namedModules()) if (m instanceof Conv2d) return m;
  return undefined;
}

/**
 * `x`: one preprocessed image [1,H,W,1]. Runs in eval mode (no dropout) and puts the previous
 * mode back before the first await, so a training step never sees the switch. Everything it
 * reads from the model is copied before that await, so a training step that replaces the
 * weights, or a new network that disposes them, cannot pull them away mid-read.
 */
export async function activations(model: Module, x: tf.Tensor4D, image: number, input: Uint8Array): Promise<ActivationsMsg> {
  const wasTraining = model.training;
  model.eval();
  const rows: { name: string; type: string; shape: number[]; maps: tf.Tensor3D }[] = [];
  let filters: tf.Tensor3D | undefined;
  let samples: WeightSample[] = [];
  try {
    try {
      tf.tidy(() => {
        walkLayers(
          model,
          x,
          (l) => {
            if (l.module instanceof Sequential) return; // its layers follow, one by one
            rows.push({ name: l.name, type: l.type, shape: torchOrder(l.output.shape), maps: tf.keep(toMaps(l.output)) });
          },
          { expand: true },
        );
        const conv = firstConv(model);
        if (conv) {
          // tfjs stores [kh, kw, in, out]: the first input channel's filters as [out, kh, kw].
          const w = conv.weight.value as tf.Tensor4D;
          const first = tf.squeeze<tf.Tensor3D>(tf.slice(w, [0, 0, 0, 0], [-1, -1, 1, Math.min(MAX_MAPS * 2, w.shape[3])]), [2]);
          filters = tf.keep(scale(tf.transpose(first, [2, 0, 1]), true));
        }
        samples = weightSamples(model);
      });
    } finally {
      model.train(wasTraining);
    }
    const layers: ActivationLayer[] = [];
    for (const r of rows) {
      const [c, hgt, wid] = r.maps.shape;
      layers.push({ name: r.name, type: r.type, shape: r.shape, maps: c, height: hgt, width: wid, pixels: Uint8Array.from(await r.maps.data()) });
    }
    let filterView: ActivationsMsg['filters'];
    if (filters) {
      const [c, hgt, wid] = filters.shape;
      filterView = { maps: c, height: hgt, width: wid, pixels: Uint8Array.from(await filters.data()) };
    }
    return { type: 'activations', image, input, layers, filters: filterView, histograms: await weightHistograms(samples) };
  } finally {
    // Disposing twice is a no-op: this frees whatever a failed read left behind.
    tf.dispose([...rows.map((r) => r.maps), ...(filters ? [filters] : []), ...samples.map((s) => s.sample)]);
  }
}
