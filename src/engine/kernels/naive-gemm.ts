/**
 * The reference matrix product: the slow, obvious triple loop every fast kernel is tested against.
 * Shapes (row-major, contiguous): op(A) M×K, op(B) K×N, C M×N.
 * A is stored M×K, or K×M when transA; B is stored K×N, or N×K when transB.
 */
export type FloatArray = Float32Array | Float64Array;

export function naiveGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: FloatArray, B: FloatArray, C: FloatArray, accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      // The sum runs in double so the reference is as exact as a Float64 caller can ask for.
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + i] : A[i * K + k];
        const b = transB ? B[j * K + k] : B[k * N + j];
        s += a * b;
      }
      C[i * N + j] = accumulate ? C[i * N + j] + s : s;
    }
  }
}
