import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { webgpu_util, type WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { namedProgram, type WebgpuProgram } from './conv_gemm_program.js';

/**
 * MaxPoolGrad in one WGSL dispatch, routing each window's gradient to its first maximum
 * (row-major), as PyTorch's max_pool2d backward and convnets' cpu/wasm kernels do.
 *
 * tfjs-webgpu's takes two dispatches (a max-position pass writing an int32 tensor, then the
 * gather) and routes a tie to the last maximum. Here one thread per input cell walks the
 * windows that cover it (at most ceil(f/s)² of them), finds each window's first maximum and
 * adds the window's gradient where that is its own cell, in the cpu kernel's summation order.
 * The pool's geometry is compiled into the shader (one pipeline per layer shape).
 */
export const maxPoolGradWebgpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  return (backend as WebGPUBackend).runWebGPUProgram(maxPoolGradProgram(info), [dy, input], 'float32');
};

function maxPoolGradProgram(info: backend_util.Conv2DInfo): WebgpuProgram {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const outputShape = [...info.inShape];
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const dispatchLayout = webgpu_util.flatDispatchLayout(outputShape);
  const geometry = [h, w, c, oh, ow, sh, sw, fh, fw, top, left];
  return namedProgram('MaxPoolGradProgram', {
    outputShape,
    shaderKey: `convnetsMaxPoolGrad_${geometry.join('_')}`,
    dispatchLayout,
    dispatch: webgpu_util.computeDispatch(dispatchLayout, outputShape, workgroupSize),
    variableNames: ['dy', 'xIn'],
    workgroupSize,
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let ch = index % ${c};
        let pix = index / ${c};
        let col = pix % ${w};
        let row = (pix / ${w}) % ${h};
        let b = pix / ${w * h};
        // Windows oy whose rows [oy*sh - top, oy*sh - top + fh) hold row (and alike for col).
        let rowFrom = row + ${top - fh + 1};
        let colFrom = col + ${left - fw + 1};
        let oyLo = select(0, (rowFrom + ${sh - 1}) / ${sh}, rowFrom > 0);
        let oxLo = select(0, (colFrom + ${sw - 1}) / ${sw}, colFrom > 0);
        let oyHi = min(${oh - 1}, (row + ${top}) / ${sh});
        let oxHi = min(${ow - 1}, (col + ${left}) / ${sw});
        var acc = 0.0;
        for (var oy = oyLo; oy <= oyHi; oy++) {
          let y0 = oy * ${sh} - ${top};
          let yBegin = max(y0, 0);
          let yEnd = min(y0 + ${fh}, ${h});
          for (var ox = oxLo; ox <= oxHi; ox++) {
            let x0 = ox * ${sw} - ${left};
            let xBegin = max(x0, 0);
            let xEnd = min(x0 + ${fw}, ${w});
            var best = xIn[((b * ${h} + yBegin) * ${w} + xBegin) * ${c} + ch];
            var bestRow = yBegin;
            var bestCol = xBegin;
            for (var ky = yBegin; ky < yEnd; ky++) {
              for (var kx = xBegin; kx < xEnd; kx++) {
                let v = xIn[((b * ${h} + ky) * ${w} + kx) * ${c} + ch];
                if (v > best) {
                  best = v;
                  bestRow = ky;
                  bestCol = kx;
                }
              }
            }
            if (bestRow == row && bestCol == col) {
              acc += dy[((b * ${oh} + oy) * ${ow} + ox) * ${c} + ch];
            }
          }
        }
        setOutputAtIndex(index, acc);
      }`,
  });
}
