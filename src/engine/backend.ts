// Numeric backend: the array type and the matrix product the engine runs on.
// Float32 is the working precision (fast kernels); Float64 exists so tests can check gradients by finite
// differences and compare with the naive reference at 1e-10.
//
// gemm: C (M×N) = (acc ? C : 0) + op(A)·op(B); op(A) is M×K, op(B) is K×N; all row-major and contiguous.

export type Arr = Float32Array | Float64Array;
export type DType = 'f32' | 'f64';

export interface Backend {
  readonly dtype: DType;
  readonly name: string;
  alloc(n: number): Arr;
  /** Returns memory from alloc() for reuse (kernel memory is not garbage-collected). */
  free(a: Arr): void;
  gemm(tA: boolean, tB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, acc: boolean): void;
}

/** Plain loops ordered for contiguous inner access; used for Float64 and as the portable fallback. */
export function loopGemm(tA: boolean, tB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, acc: boolean): void {
  if (!acc) C.fill(0, 0, M * N);
  if (!tA && tB) {
    // C[i,j] += dot(A[i,:], B[j,:])
    for (let i = 0; i < M; i++) {
      const ai = i * K;
      for (let j = 0; j < N; j++) {
        const bj = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
        C[i * N + j] += s;
      }
    }
  } else if (!tA && !tB) {
    for (let i = 0; i < M; i++) {
      const ci = i * N;
      for (let k = 0; k < K; k++) {
        const a = A[i * K + k];
        if (a === 0) continue;
        const bk = k * N;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
      }
    }
  } else if (tA && !tB) {
    // A is K×M: C[i,:] += A[k,i] * B[k,:]
    for (let k = 0; k < K; k++) {
      const bk = k * N;
      for (let i = 0; i < M; i++) {
        const a = A[k * M + i];
        if (a === 0) continue;
        const ci = i * N;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
      }
    }
  } else {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[k * M + i] * B[j * K + k];
        C[i * N + j] += s;
      }
    }
  }
}

export const f64Backend: Backend = {
  dtype: 'f64',
  name: 'js-f64',
  alloc: (n) => new Float64Array(n),
  free: () => {},
  gemm: loopGemm,
};

export const f32LoopBackend: Backend = {
  dtype: 'f32',
  name: 'js-f32',
  alloc: (n) => new Float32Array(n),
  free: () => {},
  gemm: loopGemm,
};

let fast: Backend | undefined;

/** The fastest Float32 backend available on this machine (WASM SIMD kernels when present). */
export async function fastBackend(threads?: number): Promise<Backend> {
  if (fast && threads === undefined) return fast;
  try {
    const k = await import('./kernels/index.ts');
    const kernels = k.getKernels(threads === undefined ? undefined : { threads });
    const b: Backend = {
      dtype: 'f32',
      name: kernels.name,
      alloc: (n) => kernels.alloc(n),
      free: (a) => kernels.free(a as Float32Array),
      gemm: (tA, tB, M, N, K, A, B, C, acc) =>
        kernels.gemm(tA, tB, M, N, K, A as Float32Array, B as Float32Array, C as Float32Array, acc),
    };
    if (threads === undefined) fast = b;
    return b;
  } catch {
    return f32LoopBackend;
  }
}
