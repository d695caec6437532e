/**
 * Matrix products in plain JavaScript for the cpu backend's convolutions: 4×4 tiles of
 * products held in locals, about 3 GFLOP/s on one core here (4× a loop over one output at a
 * time). Sums run in float64 (JavaScript numbers) and are rounded once when stored. The
 * callers pad both output dimensions to multiples of 4.
 */

/**
 * c[cAt + i·N + j] = Σ_k a[aAt + i·K + k] · b[bAt + j·K + k] for i < M, j < N (M, N
 * multiples of 4): both operands are read along their rows.
 */
export function gemmABt(a: Float32Array, aAt: number, b: Float32Array, bAt: number, c: Float32Array, cAt: number, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i += 4) {
    const a0 = aAt + i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    for (let j = 0; j < N; j += 4) {
      const b0 = bAt + j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k]!, x1 = a[a1 + k]!, x2 = a[a2 + k]!, x3 = a[a3 + k]!;
        const y0 = b[b0 + k]!, y1 = b[b1 + k]!, y2 = b[b2 + k]!, y3 = b[b3 + k]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let t = cAt + i * N + j;
      c[t] = c00; c[t + 1] = c01; c[t + 2] = c02; c[t + 3] = c03; t += N;
      c[t] = c10; c[t + 1] = c11; c[t + 2] = c12; c[t + 3] = c13; t += N;
      c[t] = c20; c[t + 1] = c21; c[t + 2] = c22; c[t + 3] = c23; t += N;
      c[t] = c30; c[t + 1] = c31; c[t + 2] = c32; c[t + 3] = c33;
    }
  }
}

/**
 * c[i·N + j] += Σ_r a[r·M + i] · b[bAt + r·N + j] for r < R, i < M, j < N (M, N multiples of
 * 4): both operands are read down their columns (patches against dy, summed over pixels).
 */
export function gemmAtBAdd(a: Float32Array, b: Float32Array, bAt: number, c: Float64Array, M: number, N: number, R: number): void {
  for (let i = 0; i < M; i += 4) {
    for (let j = 0; j < N; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let r = 0, ar = i, br = bAt + j; r < R; r++, ar += M, br += N) {
        const x0 = a[ar]!, x1 = a[ar + 1]!, x2 = a[ar + 2]!, x3 = a[ar + 3]!;
        const y0 = b[br]!, y1 = b[br + 1]!, y2 = b[br + 2]!, y3 = b[br + 3]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let t = i * N + j;
      c[t]! += c00; c[t + 1]! += c01; c[t + 2]! += c02; c[t + 3]! += c03; t += N;
      c[t]! += c10; c[t + 1]! += c11; c[t + 2]! += c12; c[t + 3]! += c13; t += N;
      c[t]! += c20; c[t + 1]! += c21; c[t + 2]! += c22; c[t + 3]! += c23; t += N;
      c[t]! += c30; c[t + 1]! += c31; c[t + 2]! += c32; c[t + 3]! += c33;
    }
  }
}

/** n rounded up to a multiple of 4. */
export const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4;

/** rows × cols values from src (rows srcStride apart) to dst (rows dstStride apart): into or out of padded tiles. */
export function copyRows(src: ArrayLike<number>, srcAt: number, srcStride: number, dst: Float32Array, dstAt: number, dstStride: number, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const s = srcAt + i * srcStride;
    const d = dstAt + i * dstStride;
    for (let j = 0; j < cols; j++) dst[d + j] = src[s + j]!;
  }
}

/** dst[dstAt + c·rows + r] = src[srcAt + r·cols + c]: a [rows, cols] block transposed, in tiles that stay in cache. */
export function transposeBlock(src: Float32Array, srcAt: number, rows: number, cols: number, dst: Float32Array, dstAt: number): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const s = srcAt + r * cols;
        for (let c = c0; c < c1; c++) dst[dstAt + c * rows + r] = src[s + c]!;
      }
    }
  }
}
