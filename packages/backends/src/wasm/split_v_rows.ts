import { backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './instance.js';

/**
 * SplitV on wasm as one copyWithin per row of each piece. tfjs-backend-wasm slices each piece
 * with a JS loop that makes a subarray per innermost row; for a channel split (the gradient of
 * an Inception block's concat) that is ~12x slower: GoogLeNet's [32,12,12,512] split 36 → 3 ms.
 * Any axis is a split of the columns of a [outer, axis·inner] matrix. Other dtypes than 4-byte
 * ones go to tfjs's kernel.
 */
export function splitVRows(stock: KernelFunc): KernelFunc {
  return (args) => {
    const backend = asWasmBackend(args.backend as KernelBackend);
    const x = args.inputs.x as TensorInfo;
    if (!backend || (x.dtype !== 'float32' && x.dtype !== 'int32')) return stock(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
    const ax = util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const outer = util.sizeFromShape(x.shape.slice(0, ax));
    const inner = util.sizeFromShape(x.shape.slice(ax + 1));
    const rowLength = x.shape[ax]! * inner;
    const outs = sizes.map((s) => backend.makeOutput(x.shape.map((d, i) => (i === ax ? s : d)), x.dtype));
    // One view of the whole heap, after every allocation (making an output may grow it).
    const heap = new Float32Array(backend.typedArrayFromHeap(x).buffer);
    const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId) / 4;
    let column = at(x);
    outs.forEach((out, i) => {
      const width = sizes[i]! * inner;
      for (let r = 0, src = column, dst = at(out); r < outer; r++, src += rowLength, dst += width) heap.copyWithin(dst, src, src + width);
      column += width;
    });
    return outs;
  };
}
