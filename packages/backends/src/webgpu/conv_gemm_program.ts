import type { backend_util } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export type WebgpuProgram = Parameters<WebGPUBackend['runWebGPUProgram']>[0];

/** The program as an instance of a class called `name`: `pnpm bench --profile` lists programs by constructor name. */
export function namedProgram(name: string, fields: object): WebgpuProgram {
  const Program = { [name]: class {} }[name]!;
  return Object.assign(new Program(), fields) as WebgpuProgram;
}

/**
 * The three convolutions of a training step, each one matrix product C[m][n] = Σ_k A[m][k]·B[k][n]
 * whose operands are read straight from the NHWC tensors (implicit GEMM: no im2col buffer):
 *
 * - forward:    y[b,oy,ox][co]      = Σ_(ky,kx,ci) x[b, oy·s+ky·d-p, ox·s+kx·d-p, ci] · w[ky,kx,ci][co]
 * - inputGrad:  dx[b,iy,ix][ci]     = Σ_(ky,kx,co) dy[b, (iy+p-ky·d)/s, (ix+p-kx·d)/s, co] · w[ky,kx,ci,co]
 * - filterGrad: dw[ky,kx,ci][co]    = Σ_(b,oy,ox) x[b, oy·s+ky·d-p, ox·s+kx·d-p, ci] · dy[b,oy,ox][co]
 */
export type ConvGemmMode = 'forward' | 'inputGrad' | 'filterGrad';
export type ConvEpilogue = 'linear' | 'relu' | 'sigmoid';

/** A workgroup computes a bm×bn block of C, bk of K at a time; each thread a tm×tn register tile. */
export interface GemmTile {
  bm: number;
  bn: number;
  bk: number;
  tm: number;
  tn: number;
}

export interface ConvGemmPlan {
  mode: ConvGemmMode;
  m: number;
  n: number;
  k: number;
  tile: GemmTile;
  /** filterGrad: K split into this many ranges, summed by a second dispatch (1: none). */
  splits: number;
  kPerSplit: number;
}

const MAX_GROUPS_PER_DIMENSION = 32768;
/** Workgroups a filter gradient is spread over before K is split further (a GPU has 100+ cores). */
const FILTER_GRAD_TARGET_GROUPS = 256;

function nextPow2(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, v)));
}

/**
 * The tile for a product of m×n outputs. n (channels) and, for filter gradients, m (taps ×
 * channels) are often small in these networks (6, 8, 16, 25), so the block is no larger than
 * the product; wide products get 8×8 outputs a thread (on llvmpipe 1.4–1.6× faster than 4×4
 * at NiN's 96 channels: fewer workgroup-memory reads per multiply).
 */
export function chooseTile(m: number, n: number): GemmTile {
  const bn = Math.min(64, Math.max(4, nextPow2(n)));
  const bm = Math.min(128, Math.max(16, nextPow2(m)));
  if (bn === 64 && bm >= 64) return { bm, bn, bk: 8, tm: 8, tn: 8 };
  return { bm, bn, bk: 16, tm: 4, tn: 4 };
}

export function planConvGemm(mode: ConvGemmMode, info: backend_util.Conv2DInfo, tile?: GemmTile): ConvGemmPlan {
  const taps = info.filterHeight * info.filterWidth;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const [m, n, k] =
    mode === 'forward' ? [pixels, info.outChannels, taps * info.inChannels]
    : mode === 'inputGrad' ? [info.batchSize * info.inHeight * info.inWidth, info.inChannels, taps * info.outChannels]
    : [taps * info.inChannels, info.outChannels, pixels];
  const t = tile ?? chooseTile(m, n);
  let splits = 1;
  if (mode === 'filterGrad') {
    const blocks = Math.ceil(m / t.bm) * Math.ceil(n / t.bn);
    splits = Math.max(1, Math.min(Math.ceil(FILTER_GRAD_TARGET_GROUPS / blocks), Math.floor(k / (16 * t.bk))));
  }
  const kPerSplit = Math.ceil(k / splits / t.bk) * t.bk;
  return { mode, m, n, k, tile: t, splits: Math.ceil(k / kPerSplit), kPerSplit };
}

/** WGSL for A[m][k] and B[k][n] of each mode, and whether consecutive threads should load along k. */
function operands(mode: ConvGemmMode, g: backend_util.Conv2DInfo): { a: string; b: string; aAlongK: boolean; bAlongK: boolean } {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterWidth: fw } = g;
  const { top, left } = g.padInfo;
  // x at output pixel (b, oy, ox) and tap (ky, kx, c): 0 in the padding.
  const xAt = `
  let iy = oy * ${sh} + ky * ${dh} - ${top};
  let ix = ox * ${sw} + kx * ${dw} - ${left};
  if (iy < 0 || iy >= ${h} || ix < 0 || ix >= ${w}) { return 0.0; }
  return x[((b * ${h} + iy) * ${w} + ix) * ${ci} + c];`;
  if (mode === 'forward') {
    return {
      a: `let ox = m % ${ow}; let oy = (m / ${ow}) % ${oh}; let b = m / ${ow * oh};
  let c = k % ${ci}; let kx = (k / ${ci}) % ${fw}; let ky = k / ${ci * fw};${xAt}`,
      b: `return w[k * ${co} + n];`,
      aAlongK: true,
      bAlongK: false,
    };
  }
  if (mode === 'filterGrad') {
    return {
      a: `let c = m % ${ci}; let kx = (m / ${ci}) % ${fw}; let ky = m / ${ci * fw};
  let ox = k % ${ow}; let oy = (k / ${ow}) % ${oh}; let b = k / ${ow * oh};${xAt}`,
      b: `return dy[k * ${co} + n];`,
      aAlongK: false,
      bAlongK: false,
    };
  }
  // inputGrad: the output pixels whose window puts tap (ky, kx) on input pixel (iy, ix).
  return {
    a: `let ix = m % ${w}; let iy = (m / ${w}) % ${h}; let b = m / ${w * h};
  let c = k % ${co}; let kx = (k / ${co}) % ${fw}; let ky = k / ${co * fw};
  let yy = iy + ${top} - ky * ${dh};
  let xx = ix + ${left} - kx * ${dw};
  if (yy < 0 || xx < 0 || yy % ${sh} != 0 || xx % ${sw} != 0) { return 0.0; }
  let oy = yy / ${sh};
  let ox = xx / ${sw};
  if (oy >= ${oh} || ox >= ${ow}) { return 0.0; }
  return dy[((b * ${oh} + oy) * ${ow} + ox) * ${co} + c];`,
    b: `let c = k % ${co}; let tap = k / ${co};
  return w[(tap * ${ci} + n) * ${co} + c];`,
    aAlongK: true,
    bAlongK: true,
  };
}

/** Loads an operand's bk×rows block into workgroup memory ([kk][row]), zero past its edges. */
function loadBlock(name: 'A' | 'B', rows: number, bk: number, threads: number, alongK: boolean, rowLimit: string, row0: string): string {
  const at = name === 'A' ? 'aAt(row, kg)' : 'bAt(kg, row)';
  const [kk, rr] = alongK ? [`e % ${bk}`, `e / ${bk}`] : [`e / ${rows}`, `e % ${rows}`];
  // A loop, not unrolled here: the shader stays small for software compilers (SwiftShader, llvmpipe).
  return `for (var e = li; e < ${rows * bk}; e += ${threads}) {
      let kk = ${kk}; let rr = ${rr};
      let row = ${row0} + rr; let kg = k0 + kk;
      var v = 0.0;
      if (row < ${rowLimit} && kg < kEnd) { v = ${at}; }
      tile${name}[kk * ${rows} + rr] = v;
    }`;
}

function epilogueCode(e: ConvEpilogue, bias: boolean): string {
  const add = bias ? 'v = v + bias[n];' : '';
  const act = e === 'relu' ? 'v = max(v, 0.0);' : e === 'sigmoid' ? 'v = 1.0 / (1.0 + exp(-v));' : '';
  return `${add} ${act}`;
}

/**
 * The implicit-GEMM program of a plan. Its output is C (shape `outputShape`), or, with K split,
 * the splits' partial sums ([splits, m·n]) for convGemmSumProgram.
 *
 * Blocks are staged in workgroup memory; a thread's outputs are strided by the workgroup's
 * width (n) and height (m), so a warp's stores and its reads of the B block are contiguous.
 * Every geometry number is a WGSL constant (one pipeline per layer shape and tile).
 */
export function convGemmProgram(plan: ConvGemmPlan, info: backend_util.Conv2DInfo, outputShape: number[], epilogue: ConvEpilogue = 'linear', bias = false): WebgpuProgram {
  const { mode, m, n, tile, splits } = plan;
  const { bm, bn, bk, tm, tn } = tile;
  const groups = Math.ceil(m / bm) * Math.ceil(n / bn) * splits;
  const gx = Math.min(groups, MAX_GROUPS_PER_DIMENSION);
  const names = mode === 'forward' ? ['x', 'w'] : mode === 'inputGrad' ? ['dy', 'w'] : ['x', 'dy'];
  if (bias) names.push('bias');
  return namedProgram('ConvGemmProgram', {
    outputShape: splits > 1 ? [splits, m * n] : outputShape,
    shaderKey: `convnetsConvGemm_${mode}_${geometryKey(info)}_${bm}_${bn}_${bk}_${tm}_${tn}_${splits}_${epilogue}_${bias}`,
    dispatchLayout: { x: [0], y: [1] },
    dispatch: [gx, Math.ceil(groups / gx), 1],
    variableNames: names,
    workgroupSize: [bn / tn, bm / tm, 1],
    // Built only when tfjs compiles the pipeline (once per shaderKey), not on every call.
    getUserCode: () => gemmCode(plan, info, epilogue, bias),
  });
}

/** The geometry a convolution's WGSL bakes in as constants, as a pipeline cache key. */
function geometryKey(g: backend_util.Conv2DInfo): string {
  return [g.batchSize, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels, g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padInfo.top, g.padInfo.left].join('_');
}

function gemmCode(plan: ConvGemmPlan, info: backend_util.Conv2DInfo, epilogue: ConvEpilogue, bias: boolean): string {
  const { mode, m, n, tile, splits, kPerSplit } = plan;
  const { bm, bn, bk, tm, tn } = tile;
  const wx = bn / tn;
  const wy = bm / tm;
  const threads = wx * wy;
  const tilesM = Math.ceil(m / bm);
  const tilesN = Math.ceil(n / bn);
  const groups = tilesM * tilesN * splits;
  const op = operands(mode, info);
  const acc = (i: number, j: number) => `c${i}_${j}`;
  const ij: [number, number][] = [];
  for (let i = 0; i < tm; i++) for (let j = 0; j < tn; j++) ij.push([i, j]);
  const store = splits > 1 ? `result[(split * ${m} + m) * ${n} + n] = v;` : `${epilogueCode(epilogue, bias)} result[m * ${n} + n] = v;`;
  return `
      var<workgroup> tileA : array<f32, ${bk * bm}>;
      var<workgroup> tileB : array<f32, ${bk * bn}>;

      fn aAt(m : i32, k : i32) -> f32 {
        ${op.a}
      }
      fn bAt(k : i32, n : i32) -> f32 {
        ${op.b}
      }

      fn main() {
        // Workgroup ids are uniform, but WGSL's analysis cannot see that through tfjs's private
        // copies: the k loop runs a constant count, and a surplus workgroup only skips its stores.
        let t = i32(workgroupId.x + workgroupId.y * numWorkgroups.x);
        _ = uniforms.NAN; // tfjs binds its uniform block to every program: it must be in the layout
        let tn = t % ${tilesN};
        let tm = (t / ${tilesN}) % ${tilesM};
        let split = t / ${tilesN * tilesM};
        let m0 = tm * ${bm};
        let n0 = tn * ${bn};
        let kBegin = split * ${kPerSplit};
        let kEnd = min(${plan.k}, kBegin + ${kPerSplit});
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let li = i32(localIndex);
        ${ij.map(([i, j]) => `var ${acc(i, j)} = 0.0;`).join(' ')}
        for (var kt = 0; kt < ${kPerSplit / bk}; kt++) {
          let k0 = kBegin + kt * ${bk};
          ${loadBlock('A', bm, bk, threads, op.aAlongK, String(m), 'm0')}
          ${loadBlock('B', bn, bk, threads, op.bAlongK, String(n), 'n0')}
          workgroupBarrier();
          for (var kk = 0; kk < ${bk}; kk++) {
            ${Array.from({ length: tm }, (_, i) => `let a${i} = tileA[kk * ${bm} + ty + ${i * wy}];`).join(' ')}
            ${Array.from({ length: tn }, (_, j) => `let b${j} = tileB[kk * ${bn} + tx + ${j * wx}];`).join(' ')}
            ${ij.map(([i, j]) => `${acc(i, j)} = fma(a${i}, b${j}, ${acc(i, j)});`).join(' ')}
          }
          workgroupBarrier();
        }
        ${ij
          .map(
            ([i, j]) => `{
          let m = m0 + ty + ${i * wy};
          let n = n0 + tx + ${j * wx};
          if (m < ${m} && n < ${n} && t < ${groups}) { var v = ${acc(i, j)}; ${store} }
        }`,
          )
          .join('\n')}
      }`;
}

/** Sums a split filter gradient's partials ([splits, size]) into `outputShape`. */
export function convGemmSumProgram(splits: number, outputShape: number[]): WebgpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const groups = Math.ceil(size / 64);
  return namedProgram('ConvGemmSumProgram', {
    outputShape,
    shaderKey: `convnetsConvGemmSum_${splits}_${size}`,
    dispatchLayout: { x: [0], y: [1] },
    dispatch: [Math.min(groups, MAX_GROUPS_PER_DIMENSION), Math.ceil(groups / MAX_GROUPS_PER_DIMENSION), 1],
    variableNames: ['partial'],
    workgroupSize,
    getUserCode: () => `
      fn main() {
        _ = uniforms.NAN;
        let i = i32(globalId.x + globalId.y * numWorkgroups.x * 64u);
        if (i >= ${size}) { return; }
        var v = 0.0;
        for (var s = 0; s < ${splits}; s++) { v = v + partial[s * ${size} + i]; }
        result[i] = v;
      }`,
  });
}

/**
 * The forward or input-gradient convolution without workgroup memory: a thread per output
 * pixel and up to `chunk` of its channels, walking the window's taps with the input read once
 * per tap and channel and the weights read at the same address by every thread (a broadcast).
 * For the narrow layers of these networks (LeNet's 1→6→16, VGG-11/8's 8/16 channels) this does
 * less address arithmetic per multiply than a GEMM block, whose n dimension would be mostly
 * padding there.
 */
export function convDirectProgram(mode: 'forward' | 'inputGrad', info: backend_util.Conv2DInfo, chunk: number, epilogue: ConvEpilogue = 'linear', bias = false): WebgpuProgram {
  const forward = mode === 'forward';
  const threads = directPixels(mode, info) * Math.ceil(productChannels(mode, info) / chunk);
  const names = forward ? ['x', 'w'] : ['dy', 'w'];
  if (bias) names.push('bias');
  return namedProgram('ConvDirectProgram', {
    outputShape: forward ? info.outShape : info.inShape,
    shaderKey: `convnetsConvDirect_${mode}_${geometryKey(info)}_${chunk}_${epilogue}_${bias}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(threads / 64), 1, 1],
    variableNames: names,
    workgroupSize: [64, 1, 1],
    getUserCode: () => directCode(mode, info, chunk, epilogue, bias),
  });
}

const directPixels = (mode: 'forward' | 'inputGrad', g: backend_util.Conv2DInfo) => (mode === 'forward' ? g.batchSize * g.outHeight * g.outWidth : g.batchSize * g.inHeight * g.inWidth);

/** The channels of a convolution's product (its n): the input's for an input gradient, else the output's. */
export const productChannels = (mode: ConvGemmMode, g: backend_util.Conv2DInfo) => (mode === 'inputGrad' ? g.inChannels : g.outChannels);

function directCode(mode: 'forward' | 'inputGrad', info: backend_util.Conv2DInfo, chunk: number, epilogue: ConvEpilogue, bias: boolean): string {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const forward = mode === 'forward';
  const pixels = directPixels(mode, info);
  const channels = productChannels(mode, info);
  const threads = pixels * Math.ceil(channels / chunk);
  const js = Array.from({ length: chunk }, (_, j) => j);
  const body = forward
    ? `let ox = p % ${ow}; let oy = (p / ${ow}) % ${oh}; let b = p / ${ow * oh};
        for (var ky = 0; ky < ${fh}; ky++) {
          let iy = oy * ${sh} + ky * ${dh} - ${top};
          if (iy < 0 || iy >= ${h}) { continue; }
          for (var kx = 0; kx < ${fw}; kx++) {
            let ix = ox * ${sw} + kx * ${dw} - ${left};
            if (ix < 0 || ix >= ${w}) { continue; }
            let xBase = ((b * ${h} + iy) * ${w} + ix) * ${ci};
            let wBase = (ky * ${fw} + kx) * ${ci * co};
            for (var c = 0; c < ${ci}; c++) {
              let v = x[xBase + c];
              let wc = wBase + c * ${co};
              ${js.map((j) => `c${j} = fma(v, w[wc + ch${j}], c${j});`).join(' ')}
            }
          }
        }`
    : `let ix = p % ${w}; let iy = (p / ${w}) % ${h}; let b = p / ${w * h};
        for (var ky = 0; ky < ${fh}; ky++) {
          let yy = iy + ${top} - ky * ${dh};
          if (yy < 0 || yy % ${sh} != 0 || yy / ${sh} >= ${oh}) { continue; }
          let oy = yy / ${sh};
          for (var kx = 0; kx < ${fw}; kx++) {
            let xx = ix + ${left} - kx * ${dw};
            if (xx < 0 || xx % ${sw} != 0 || xx / ${sw} >= ${ow}) { continue; }
            let ox = xx / ${sw};
            let gBase = ((b * ${oh} + oy) * ${ow} + ox) * ${co};
            let wBase = (ky * ${fw} + kx) * ${ci * co};
            for (var c = 0; c < ${co}; c++) {
              let g = dy[gBase + c];
              ${js.map((j) => `c${j} = fma(g, w[wBase + c + ch${j} * ${co}], c${j});`).join(' ')}
            }
          }
        }`;
  return `
      fn main(index : i32) {
        _ = uniforms.NAN;
        if (index >= ${threads}) { return; }
        let p = index % ${pixels};
        let n0 = (index / ${pixels}) * ${chunk};
        // A last, partial chunk reads its missing channels from the last one (never stored).
        ${js.map((j) => `let ch${j} = min(n0 + ${j}, ${channels - 1}); var c${j} = 0.0;`).join(' ')}
        ${body}
        ${js
          .map(
            (j) => `if (n0 + ${j} < ${channels}) {
          let n = n0 + ${j};
          var v = c${j};
          ${forward ? epilogueCode(epilogue, bias) : ''}
          result[p * ${channels} + n] = v;
        }`,
          )
          .join('\n')}
      }`;
}
