/** ConvNetJS-style view of one test image going through the network: every layer's maps, and the first filters. */
import type { ActivationLayer, ActivationsMsg } from '../protocol.js';
import { clear, h } from './dom.js';

/** Tiles `maps` grayscale maps (channels first) into one canvas, one pixel apart. */
function tiles(maps: number, height: number, width: number, pixels: Uint8Array, cols: number): HTMLCanvasElement {
  const rows = Math.ceil(maps / cols);
  const canvas = h('canvas', { class: 'maps' });
  canvas.width = cols * (width + 1) - 1;
  canvas.height = rows * (height + 1) - 1;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(canvas.width, canvas.height);
  img.data.fill(255);
  for (let m = 0; m < maps; m++) {
    const ox = (m % cols) * (width + 1);
    const oy = Math.floor(m / cols) * (height + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = pixels[(m * height + y) * width + x];
        const o = ((oy + y) * canvas.width + ox + x) * 4;
        img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  // Small maps are drawn larger (pixelated), so a 5×5 map stays visible beside a 28×28 one.
  const zoom = Math.max(1, Math.min(8, Math.floor(56 / Math.max(height, 1))));
  canvas.style.width = `${canvas.width * zoom}px`;
  return canvas;
}

function layerRow(l: ActivationLayer): HTMLElement {
  const vector = l.height === 1 && l.maps === 1;
  const cols = vector ? 1 : Math.min(l.maps, 8);
  const more = l.shape.length === 4 && l.shape[1] > l.maps ? ` (first ${l.maps} of ${l.shape[1]} channels)` : vector && l.shape[1] > l.width ? ` (first ${l.width} of ${l.shape[1]} units)` : '';
  const canvas = tiles(l.maps, l.height, l.width, l.pixels, cols);
  if (vector) canvas.classList.add('strip');
  return h('div', { class: 'act-layer', 'data-layer': l.name }, h('div', { class: 'act-head' }, h('b', {}, l.name), ` ${l.type} · (${l.shape.join(', ')})${more}`), canvas);
}

/** One weight tensor's histogram as a row of bars. */
function histogram(hist: ActivationsMsg['histograms'][number]): HTMLElement {
  const top = Math.max(1, ...hist.counts);
  const bars = hist.counts.map((c) => {
    const bar = h('span', { class: 'hbar' });
    bar.style.height = `${Math.max(c > 0 ? 2 : 0, (100 * c) / top)}%`;
    return bar;
  });
  const sampled = hist.sampled < hist.size ? `, ${hist.sampled.toLocaleString('en-US')} sampled of ${hist.size.toLocaleString('en-US')}` : ` (${hist.size.toLocaleString('en-US')} values)`;
  return h(
    'div',
    { class: 'histogram', 'data-param': hist.name },
    h('div', { class: 'act-head' }, h('b', {}, hist.name), ` ${hist.min.toPrecision(2)} … ${hist.max.toPrecision(2)}${sampled}`),
    h('div', { class: 'hbars' }, ...bars),
  );
}

/** Weight histograms per layer: how the weights spread as the network trains. */
export function renderHistograms(box: HTMLElement, m: ActivationsMsg): void {
  clear(box, ...m.histograms.map(histogram));
}

export function renderActivations(box: HTMLElement, m: ActivationsMsg): void {
  const head: HTMLElement[] = [h('div', { class: 'act-layer', 'data-layer': 'input' }, h('div', { class: 'act-head' }, h('b', {}, 'input'), ` test image #${m.image} (28×28)`), tiles(1, 28, 28, m.input, 1))];
  if (m.filters) {
    const f = m.filters;
    head.push(h('div', { class: 'act-layer', 'data-layer': 'filters' }, h('div', { class: 'act-head' }, h('b', {}, 'first-layer filters'), ` ${f.maps} × ${f.height}×${f.width} (gray = 0, light = positive)`), tiles(f.maps, f.height, f.width, f.pixels, Math.min(f.maps, 12))));
  }
  clear(box, ...head, ...m.layers.map(layerRow));
}
