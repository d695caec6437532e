/**
 * The drawing pad and image upload: both end as 28×28 grayscale in 0..1, dark background and
 * light item as in Fashion-MNIST. Uploaded photos with a light background are inverted.
 */

export type InvertMode = 'auto' | 'on' | 'off';

export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  brush = 22;

  constructor(size: number, private onChange: () => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = size;
    this.canvas.height = size;
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser has no 2D canvas.');
    this.ctx = ctx;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.pos(e);
      this.dot(this.last);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.pos(e);
      this.segment(this.last ?? p, p);
      this.last = p;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.onChange();
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener('pointerleave', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Shows an image (already 0..1 grayscale 28×28) on the pad, upscaled. */
  show(pixels: Float32Array): void {
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const sctx = small.getContext('2d');
    if (!sctx) return;
    const img = sctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round(pixels[i] * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    sctx.putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
    this.ctx.imageSmoothingEnabled = true;
  }

  /** The drawing as 28×28 in 0..1 (white strokes on black: no inversion needed). */
  pixels(): Float32Array {
    return toGray28(this.canvas, 'off');
  }

  private pos(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * this.canvas.width, y: ((e.clientY - r.top) / r.height) * this.canvas.height };
  }

  private dot(p: { x: number; y: number }): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, this.brush / 2, 0, Math.PI * 2);
    this.ctx.fill();
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.brush;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.ctx.beginPath();
    this.ctx.moveTo(a.x, a.y);
    this.ctx.lineTo(b.x, b.y);
    this.ctx.stroke();
  }
}

/**
 * Any image source → 28×28 luminance in 0..1. Inversion: 'auto' inverts when the border is
 * mostly light (a photo or scan of an item on white), so the result has a dark background.
 */
export function toGray28(source: CanvasImageSource & { width: number; height: number }, invert: InvertMode): Float32Array {
  const c = document.createElement('canvas');
  c.width = 28;
  c.height = 28;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser has no 2D canvas.');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  // Transparent areas count as background: paint black first only when not inverting.
  ctx.fillStyle = invert === 'on' ? '#fff' : '#000';
  ctx.fillRect(0, 0, 28, 28);
  const w = source.width;
  const hgt = source.height;
  // Fit the longer side, centred, keeping the aspect ratio (Fashion-MNIST items are centred).
  const scale = 28 / Math.max(w, hgt);
  const dw = w * scale;
  const dh = hgt * scale;
  ctx.drawImage(source, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
  const { data } = ctx.getImageData(0, 0, 28, 28);
  const out = new Float32Array(784);
  for (let i = 0; i < 784; i++) out[i] = (0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]) / 255;
  let doInvert = invert === 'on';
  if (invert === 'auto') {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        if (x > 1 && x < 26 && y > 1 && y < 26) continue;
        sum += out[y * 28 + x];
        n++;
      }
    }
    doInvert = sum / n > 0.5;
  }
  if (doInvert) for (let i = 0; i < 784; i++) out[i] = 1 - out[i];
  return out;
}
