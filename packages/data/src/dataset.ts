/** The Fashion-MNIST dataset object: uint8 pixels, labels, where they came from, class names. */
import { batches, numBatches, type Batch, type BatchOptions, type LabeledImages } from './batches.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_HEIGHT, FASHION_MNIST_WIDTH } from './classes.js';
import type { Split } from './files.js';
import { classCounts, stratifiedIndices } from './stratified_limit.js';

/** Where the data came from. `dir` for directories, `url` for downloads and URL loads. */
export interface DataSource {
  kind: 'explicit' | 'env' | 'debian' | 'cache' | 'download' | 'url' | 'memory';
  dir?: string;
  url?: string;
}

/** One file read for the dataset, with its checksum status. */
export interface FileInfo {
  /** File stem, e.g. 'train-images-idx3-ubyte'. */
  name: string;
  /** Path or URL read. */
  location: string;
  /** SHA-256 (hex) of the decompressed content, when computed. */
  sha256?: string;
  /** Expected SHA-256, when known. */
  expected?: string;
  /** 'ok' / 'mismatch' when compared, 'unchecked' otherwise. */
  status: 'ok' | 'mismatch' | 'unchecked';
}

export interface FashionMnistInit {
  split: Split;
  images: Uint8Array;
  labels: Uint8Array;
  source: DataSource;
  files?: readonly FileInfo[];
  height?: number;
  width?: number;
}

export class FashionMnist implements LabeledImages {
  readonly split: Split;
  /** length*height*width pixels, 0..255, row-major. */
  readonly images: Uint8Array;
  /** length labels, 0..9. */
  readonly labels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly source: DataSource;
  readonly files: readonly FileInfo[];
  readonly classes = FASHION_MNIST_CLASSES;

  constructor(init: FashionMnistInit) {
    this.split = init.split;
    this.images = init.images;
    this.labels = init.labels;
    this.height = init.height ?? FASHION_MNIST_HEIGHT;
    this.width = init.width ?? FASHION_MNIST_WIDTH;
    this.source = init.source;
    this.files = init.files ?? [];
    if (this.images.length !== this.labels.length * this.height * this.width) {
      throw new RangeError(`FashionMnist: ${this.images.length} pixels do not make ${this.labels.length} images of ${this.height}x${this.width}`);
    }
  }

  get length(): number {
    return this.labels.length;
  }

  /** The pixels of example i (a view). */
  image(i: number): Uint8Array {
    const px = this.height * this.width;
    return this.images.subarray(i * px, (i + 1) * px);
  }

  /** Examples per class. */
  classCounts(): number[] {
    return classCounts(this.labels, this.classes.length);
  }

  /** A copy holding the given examples, in the given order. */
  subset(indices: ArrayLike<number>): FashionMnist {
    const px = this.height * this.width;
    const images = new Uint8Array(indices.length * px);
    const labels = new Uint8Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < this.length)) throw new RangeError(`subset: index ${i} outside 0..${this.length - 1}`);
      images.set(this.image(i), k * px);
      labels[k] = this.labels[i];
    }
    return new FashionMnist({ ...this, images, labels });
  }

  /** The deterministic class-stratified subset of `limit` examples (e.g. 1000 → 100 per class). */
  limit(limit: number): FashionMnist {
    if (limit >= this.length) return this;
    return this.subset(stratifiedIndices(this.labels, limit, this.classes.length));
  }

  batches(options: BatchOptions): AsyncGenerator<Batch, void, undefined> {
    return batches(this, options);
  }

  numBatches(options: Pick<BatchOptions, 'batchSize' | 'dropLast'>): number {
    return numBatches(this.length, options);
  }
}
