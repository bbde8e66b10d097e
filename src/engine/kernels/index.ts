/**
 * Matrix kernels for the engine: one gemm contract, several backends.
 *
 *   C (M×N) = (accumulate ? C : 0) + op(A)·op(B)
 *   op(A) is M×K: A is stored M×K, or K×M when transA.
 *   op(B) is K×N: B is stored K×N, or N×K when transB.
 *   Everything row-major and contiguous; arrays may be subarray views.
 *
 * getKernels() hands out the fastest backend available (WebAssembly SIMD, else TypeScript), one instance per
 * option set for the whole process. Results do not depend on the thread count: work is split by rows or
 * columns of C, never along K, so every element is summed in the same order.
 */
import { jsGemm } from './js-gemm.ts';
import { createWasmKernels } from './wasm-kernels.ts';

export { naiveGemm } from './naive-gemm.ts';
export type { FloatArray } from './naive-gemm.ts';
export { jsGemm } from './js-gemm.ts';

export interface Kernels {
  readonly name: string;
  /** Threads actually used by gemm. */
  readonly threads: number;
  /** C (M×N) = (accumulate ? C : 0) + op(A)·op(B); see the file header for layouts. */
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number,
       A: Float32Array, B: Float32Array, C: Float32Array, accumulate: boolean): void;
  /**
   * A zeroed Float32Array of n elements in memory the fast path reads without copying. Views stay valid for the
   * life of the process (the memory only grows and is never detached). Meant for long-lived buffers
   * (parameters, gradients, activations): there is no free, so allocate once and reuse.
   */
  alloc(n: number): Float32Array;
}

export interface KernelOptions {
  /** Threads for gemm (1 or 2); the TypeScript backend always uses 1. Default 1. */
  threads?: number;
  /** Force a backend; 'wasm' still falls back to 'js' where WebAssembly SIMD is unavailable. */
  backend?: 'wasm' | 'js';
}

export function jsKernels(): Kernels {
  return {
    name: 'js',
    threads: 1,
    gemm: jsGemm,
    alloc: (n: number) => new Float32Array(n),
  };
}

const instances = new Map<string, Kernels>();

export function getKernels(opts: KernelOptions = {}): Kernels {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const backend = opts.backend ?? 'wasm';
  const key = `${backend}/${threads}`;
  let k = instances.get(key);
  if (!k) {
    k = (backend === 'wasm' ? createWasmKernels(threads) : null) ?? jsKernels();
    instances.set(key, k);
  }
  return k;
}
