/**
 * Cache-blocked matrix product in plain TypeScript, for Float32 and Float64 alike: the product of the
 * backends without WebAssembly (backend.ts's f32LoopBackend and f64Backend, the 'js' kernels used when SIMD
 * is missing). Same contract as naiveGemm, the reference it is tested against.
 *
 * Two forms, chosen by shape:
 * - dot form (the usual one): C[i,j] = op(A) row i · op(B) column j, with both operands laid out k-contiguous
 *   (op(A) rows; op(B) columns, i.e. rows of B when transB). A 4×2 block of C is summed in eight locals,
 *   so the JIT keeps the sums in registers and reads 6 numbers per 8 multiply-adds. Operands not already
 *   k-contiguous are transposed into scratch once per call.
 * - axpy form for a few rows of C against an untransposed B: C row += a·(row of B), walking B and C
 *   contiguously; transposing B would cost as much as the product itself.
 * The k loop is blocked so the A and B rows being combined stay in L1.
 */
import type { FloatArray } from './naive-gemm.ts';

const K_BLOCK = 256;
const AXPY_MAX_ROWS = 4;

const scratch: Record<'a32' | 'b32' | 'a64' | 'b64', FloatArray> = {
  a32: new Float32Array(0), b32: new Float32Array(0), a64: new Float64Array(0), b64: new Float64Array(0),
};

function scratchFor(which: 'a' | 'b', like: FloatArray, n: number): FloatArray {
  const key = `${which}${like instanceof Float64Array ? '64' : '32'}` as const;
  if (scratch[key].length < n) scratch[key] = like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  return scratch[key];
}

/** dst (cols×rows) = src (rows×cols) transposed. */
function transpose(src: FloatArray, rows: number, cols: number, dst: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const s = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c];
  }
}

export function jsGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: FloatArray, B: FloatArray, C: FloatArray, accumulate: boolean,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) C.fill(0, 0, M * N);
  if (K <= 0) return;
  if (!transB && M <= AXPY_MAX_ROWS) {
    axpyRows(transA, M, N, K, A, B, C);
    return;
  }
  // Ar: op(A) as M rows of K; Bt: op(B) as N rows of K.
  let Ar = A, Bt = B;
  if (transA) transpose(A, K, M, (Ar = scratchFor('a', A, M * K)));
  if (!transB) transpose(B, K, N, (Bt = scratchFor('b', B, K * N)));
  dotBlocks(M, N, K, Ar, Bt, C);
}

function dotBlocks(M: number, N: number, K: number, Ar: FloatArray, Bt: FloatArray, C: FloatArray): void {
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    const k1 = Math.min(K, k0 + K_BLOCK);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const a0 = i * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
      const c0 = i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
      let j = 0;
      for (; j + 2 <= N; j += 2) {
        const b0 = j * K, b1 = b0 + K;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let k = k0; k < k1; k++) {
          const x0 = Bt[b0 + k], x1 = Bt[b1 + k];
          const y0 = Ar[a0 + k], y1 = Ar[a1 + k], y2 = Ar[a2 + k], y3 = Ar[a3 + k];
          s00 += y0 * x0; s01 += y0 * x1;
          s10 += y1 * x0; s11 += y1 * x1;
          s20 += y2 * x0; s21 += y2 * x1;
          s30 += y3 * x0; s31 += y3 * x1;
        }
        C[c0 + j] += s00; C[c0 + j + 1] += s01;
        C[c1 + j] += s10; C[c1 + j + 1] += s11;
        C[c2 + j] += s20; C[c2 + j + 1] += s21;
        C[c3 + j] += s30; C[c3 + j + 1] += s31;
      }
      for (; j < N; j++) {
        const b0 = j * K;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = k0; k < k1; k++) {
          const x = Bt[b0 + k];
          s0 += Ar[a0 + k] * x; s1 += Ar[a1 + k] * x; s2 += Ar[a2 + k] * x; s3 += Ar[a3 + k] * x;
        }
        C[c0 + j] += s0; C[c1 + j] += s1; C[c2 + j] += s2; C[c3 + j] += s3;
      }
    }
    for (; i < M; i++) {
      // leftover rows (all of a matrix-vector product): four columns of B per pass over the row of A
      const a0 = i * K, c0 = i * N;
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const b0 = j * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = k0; k < k1; k++) {
          const y = Ar[a0 + k];
          s0 += y * Bt[b0 + k]; s1 += y * Bt[b1 + k]; s2 += y * Bt[b2 + k]; s3 += y * Bt[b3 + k];
        }
        C[c0 + j] += s0; C[c0 + j + 1] += s1; C[c0 + j + 2] += s2; C[c0 + j + 3] += s3;
      }
      for (; j < N; j++) {
        const b0 = j * K;
        let s = 0;
        for (let k = k0; k < k1; k++) s += Ar[a0 + k] * Bt[b0 + k];
        C[c0 + j] += s;
      }
    }
  }
}

/** C (M×N, M small) += op(A)·B with B stored K×N: one contiguous row of B per multiply-add sweep. */
function axpyRows(transA: boolean, M: number, N: number, K: number, A: FloatArray, B: FloatArray, C: FloatArray): void {
  for (let i = 0; i < M; i++) {
    const c0 = i * N;
    for (let k = 0; k < K; k++) {
      const a = transA ? A[k * M + i] : A[i * K + k];
      const b = k * N;
      for (let j = 0; j < N; j++) C[c0 + j] += a * B[b + j];
    }
  }
}
