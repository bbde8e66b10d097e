/**
 * Cache-blocked matrix product in plain TypeScript: the fallback when WebAssembly SIMD is missing, and the
 * generic path for Float64 (gradient checks). Same contract as naiveGemm.
 *
 * Layout choice: op(B) is copied row by row into a K×N scratch (transposing when transB), so the innermost
 * loop always walks contiguous memory of both B and C; four rows of C are updated per pass over a row of B,
 * which quarters the reads of B. Columns are processed in blocks so four C rows stay in L1.
 */
import type { FloatArray } from './naive-gemm.ts';

const COL_BLOCK = 512;

let scratch32 = new Float32Array(0);
let scratch64 = new Float64Array(0);

function scratchFor(like: FloatArray, n: number): FloatArray {
  if (like instanceof Float64Array) {
    if (scratch64.length < n) scratch64 = new Float64Array(n);
    return scratch64;
  }
  if (scratch32.length < n) scratch32 = new Float32Array(n);
  return scratch32;
}

export function jsGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: FloatArray, B: FloatArray, C: FloatArray, accumulate: boolean,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) C.fill(0, 0, M * N);
  if (K <= 0) return;

  // Rows of op(B) with stride N: B itself unless transposed.
  let Bp: FloatArray = B;
  if (transB) {
    Bp = scratchFor(B, K * N);
    for (let j = 0; j < N; j++) {
      const src = j * K;
      for (let k = 0; k < K; k++) Bp[k * N + j] = B[src + k];
    }
  }
  // op(A)[i][k] = A[i*sai + k*sak]
  const sai = transA ? 1 : K;
  const sak = transA ? M : 1;

  for (let j0 = 0; j0 < N; j0 += COL_BLOCK) {
    const j1 = Math.min(N, j0 + COL_BLOCK);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const c0 = i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
      for (let k = 0; k < K; k++) {
        const ak = k * sak;
        const a0 = A[i * sai + ak], a1 = A[(i + 1) * sai + ak];
        const a2 = A[(i + 2) * sai + ak], a3 = A[(i + 3) * sai + ak];
        const b = k * N;
        for (let j = j0; j < j1; j++) {
          const bv = Bp[b + j];
          C[c0 + j] += a0 * bv;
          C[c1 + j] += a1 * bv;
          C[c2 + j] += a2 * bv;
          C[c3 + j] += a3 * bv;
        }
      }
    }
    for (; i < M; i++) {
      const c0 = i * N;
      for (let k = 0; k < K; k++) {
        const a0 = A[i * sai + k * sak];
        const b = k * N;
        for (let j = j0; j < j1; j++) C[c0 + j] += a0 * Bp[b + j];
      }
    }
  }
}
