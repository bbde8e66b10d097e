// Numeric backend: the array type and the matrix product the engine runs on.
// Float32 is the working precision (fast kernels); Float64 exists so tests can check gradients by finite
// differences and compare with the naive reference at 1e-10.
//
// gemm: C (M×N) = (acc ? C : 0) + op(A)·op(B); op(A) is M×K, op(B) is K×N; all row-major and contiguous.

import type { Kernels, PackedB } from './kernels/index.ts';
import { jsGemm } from './kernels/js-gemm.ts';
import type { Peepholes } from './kernels/pointwise.ts';

export type Arr = Float32Array | Float64Array;
/** One layer's peephole weights and gradients (H each), as the peephole kernels take them. */
export interface PeepholeArrs { i: Arr; f: Arr; o: Arr; di: Arr; df: Arr; do: Arr }
export type DType = 'f32' | 'f64';
export type { PackedB };

export interface Backend {
  readonly dtype: DType;
  readonly name: string;
  alloc(n: number): Arr;
  /** Returns memory from alloc() for reuse (kernel memory is not garbage-collected). */
  free(a: Arr): void;
  /** packedB: op(B) from packB on this very B (unchanged since); backends that do not pack ignore it. */
  gemm(tA: boolean, tB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, acc: boolean, packedB?: PackedB): void;
  /**
   * Packs op(B) once for many products with the same B (a recurrent weight at every time step), reusing
   * `into` when it fits. Results are bit-identical to unpacked products; only speed changes.
   */
  packB?(tB: boolean, K: number, N: number, B: Arr, into?: PackedB): PackedB | null;
  freePacked?(p: PackedB): void;
  /** True when `a` lives in this backend's kernel memory (fast path only). */
  owns?(a: Arr): boolean;

  // Optional element-wise kernels (the Float32 fast path). Each works in place, and returns false without
  // touching anything when it cannot run on these arrays (e.g. not from alloc()): the caller then runs its
  // plain loop, which stays the definition of the operation (and the only path in Float64).
  /**
   * The T recurrent products and lstmForward steps of an LSTM forward pass as one job split by batch rows;
   * see Kernels.lstmRecurrence. False when the backend does not split it: the caller then makes the calls.
   */
  lstmRecurrence?(T: number, B: number, H: number, Hs: Arr, W: PackedB, G: Arr, Cs: Arr, TC: Arr): boolean;
  /** The same for the backward pass's lstmBackward steps and products; see Kernels.lstmRecurrenceBackward. */
  lstmRecurrenceBackward?(T: number, B: number, H: number, G: Arr, TC: Arr, Cs: Arr, dOut: Arr, dh: Arr, dc: Arr, dG: Arr,
                          W: PackedB): boolean;
  /** LSTM step over B rows; see PointwiseKernels.lstmForward in kernels/pointwise.ts. */
  lstmForward?(g: Arr, cPrev: Arr, cNext: Arr, tc: Arr, hNext: Arr, B: number, H: number): boolean;
  /** Backward through an LSTM step over B rows; see PointwiseKernels.lstmBackward. */
  lstmBackward?(G: Arr, tc: Arr, cPrev: Arr, dOut: Arr, dh: Arr, dc: Arr, dG: Arr, B: number, H: number): boolean;
  /** Step of the three-gate LSTM variants (coupled: f = 1 − i; else f = 1); see PointwiseKernels.lstm3Forward. */
  lstm3Forward?(g: Arr, cPrev: Arr, cNext: Arr, tc: Arr, hNext: Arr, B: number, H: number, coupled: boolean): boolean;
  lstm3Backward?(G: Arr, tc: Arr, cPrev: Arr, dOut: Arr, dh: Arr, dc: Arr, dG: Arr, B: number, H: number, coupled: boolean): boolean;
  /** Peephole-LSTM step; see PointwiseKernels.peepholeForward. */
  peepholeForward?(g: Arr, cPrev: Arr, cNext: Arr, tc: Arr, hNext: Arr, B: number, H: number, p: PeepholeArrs): boolean;
  peepholeBackward?(G: Arr, tc: Arr, cPrev: Arr, cNext: Arr, dOut: Arr, dh: Arr, dc: Arr, dG: Arr, B: number, H: number, p: PeepholeArrs): boolean;
  /** GRU step over B rows; see PointwiseKernels.gruForward. */
  gruForward?(gx: Arr, gh: Arr, hPrev: Arr, hNext: Arr, B: number, H: number): boolean;
  /** x ← tanh(x). */
  tanhInPlace?(x: Arr): boolean;
  /** Rows of M (R×N) += bias (N). */
  addBias?(M: Arr, R: number, N: number, bias: Arr): boolean;
  /** out (N) += Σ_r M[r, :]. */
  addRowSums?(M: Arr, R: number, N: number, out: Arr): boolean;
  /** Per-row max and Σ e^(x − max) of logits (N×V) as pairs, and softmax·scale into grad; null when it cannot run. */
  softmaxRows?(logits: Arr, N: number, V: number, grad: Arr | null, scale: number): Arr | null;
  /** In-place Adam update (c1, c2: bias corrections), bit-identical to the loop in training/optimizer.ts. */
  adam?(p: Arr, g: Arr, m: Arr, v: Arr, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number): boolean;
  /** x ← x·s. */
  scaleInPlace?(x: Arr, s: number): boolean;
  /** Σ x² in the order of sumSquares in training/optimizer.ts; null when it cannot run. */
  sumSquares?(x: Arr): number | null;
}

/** Float64 for gradient checks and the small demos; the products are the TypeScript fallback's (kernels/js-gemm.ts). */
export const f64Backend: Backend = {
  dtype: 'f64',
  name: 'js-f64',
  alloc: (n) => new Float64Array(n),
  free: () => {},
  gemm: jsGemm,
};

/** Float32 without WebAssembly: the portable fallback. */
export const f32LoopBackend: Backend = {
  dtype: 'f32',
  name: 'js-f32',
  alloc: (n) => new Float32Array(n),
  free: () => {},
  gemm: jsGemm,
};

let fast: Backend | undefined;
/**
 * The fastest Float32 backend available on this machine (WASM SIMD kernels when present). `threads` splits
 * large products across that many threads (results are bit-identical for every count); without it, one
 * thread, which is what sampling at batch 1 wants (its products are too small to split). Front ends that
 * train pass engine/threads.ts's defaultThreads() or the user's --threads.
 */
export async function fastBackend(threads?: number): Promise<Backend> {
  if (fast && threads === undefined) return fast;
  try {
    const k = await import('./kernels/index.ts');
    const b = kernelsBackend(k.getKernels(threads === undefined ? undefined : { threads }));
    if (threads === undefined) fast = b;
    return b;
  } catch {
    return f32LoopBackend;
  }
}

/** A Float32 Backend over a Kernels instance (fastBackend's, or one made with special options in tests). */
export function kernelsBackend(kernels: Kernels): Backend {
  // Float64 arrays never reach the kernels: `a instanceof Float32Array` guards every call.
  const f = (a: Arr): a is Float32Array => a instanceof Float32Array;
  const b: Backend = {
    dtype: 'f32',
    name: kernels.name,
    alloc: (n) => kernels.alloc(n),
    free: (a) => kernels.free(a as Float32Array),
    gemm: (tA, tB, M, N, K, A, B, C, acc, packedB) =>
      kernels.gemm(tA, tB, M, N, K, A as Float32Array, B as Float32Array, C as Float32Array, acc, packedB),
  };
  const { packB, freePacked } = kernels;
  if (packB && freePacked) {
    b.packB = (tB, K, N, B, into) => (f(B) ? packB(tB, K, N, B, into) : null);
    b.freePacked = freePacked;
  }
  const { lstmRecurrence, lstmRecurrenceBackward } = kernels;
  if (lstmRecurrence && lstmRecurrenceBackward) {
    b.lstmRecurrence = (T, B, H, Hs, W, G, Cs, TC) => f(Hs) && f(G) && f(Cs) && f(TC) && lstmRecurrence(T, B, H, Hs, W, G, Cs, TC);
    b.lstmRecurrenceBackward = (T, B, H, G, TC, Cs, dOut, dh, dc, dG, W) =>
      f(G) && f(TC) && f(Cs) && f(dOut) && f(dh) && f(dc) && f(dG) && lstmRecurrenceBackward(T, B, H, G, TC, Cs, dOut, dh, dc, dG, W);
  }
  const pw = kernels.pointwise;
  if (pw) {
    b.owns = (a) => f(a) && pw.owns(a);
    b.lstmForward = (g, cp, cn, tc, hn, B, H) => f(g) && f(cp) && f(cn) && f(tc) && f(hn) && pw.lstmForward(g, cp, cn, tc, hn, B, H);
    b.lstmBackward = (G, tc, cp, dOut, dh, dc, dG, B, H) =>
      f(G) && f(tc) && f(cp) && f(dOut) && f(dh) && f(dc) && f(dG) && pw.lstmBackward(G, tc, cp, dOut, dh, dc, dG, B, H);
    const fp = (p: PeepholeArrs): p is Peepholes => f(p.i) && f(p.f) && f(p.o) && f(p.di) && f(p.df) && f(p.do);
    b.lstm3Forward = (g, cp, cn, tc, hn, B, H, coupled) => f(g) && f(cp) && f(cn) && f(tc) && f(hn) && pw.lstm3Forward(g, cp, cn, tc, hn, B, H, coupled);
    b.lstm3Backward = (G, tc, cp, dOut, dh, dc, dG, B, H, coupled) =>
      f(G) && f(tc) && f(cp) && f(dOut) && f(dh) && f(dc) && f(dG) && pw.lstm3Backward(G, tc, cp, dOut, dh, dc, dG, B, H, coupled);
    b.peepholeForward = (g, cp, cn, tc, hn, B, H, p) => f(g) && f(cp) && f(cn) && f(tc) && f(hn) && fp(p) && pw.peepholeForward(g, cp, cn, tc, hn, B, H, p);
    b.peepholeBackward = (G, tc, cp, cn, dOut, dh, dc, dG, B, H, p) =>
      f(G) && f(tc) && f(cp) && f(cn) && f(dOut) && f(dh) && f(dc) && f(dG) && fp(p) && pw.peepholeBackward(G, tc, cp, cn, dOut, dh, dc, dG, B, H, p);
    b.gruForward = (gx, gh, hp, hn, B, H) => f(gx) && f(gh) && f(hp) && f(hn) && pw.gruForward(gx, gh, hp, hn, B, H);
    b.tanhInPlace = (x) => f(x) && pw.tanhInPlace(x);
    b.addBias = (M, R, N, bias) => f(M) && f(bias) && pw.addBias(M, R, N, bias);
    b.addRowSums = (M, R, N, out) => f(M) && f(out) && pw.addRowSums(M, R, N, out);
    b.softmaxRows = (L, N, V, grad, scale) => (f(L) && (grad === null || f(grad)) ? pw.softmaxRows(L, N, V, grad, scale) : null);
    b.adam = (p, g, m, v, lr, b1, b2, c1, c2, eps) => f(p) && f(g) && f(m) && f(v) && pw.adam(p, g, m, v, lr, b1, b2, c1, c2, eps);
    b.scaleInPlace = (x, s) => f(x) && pw.scaleInPlace(x, s);
    b.sumSquares = (x) => (f(x) ? pw.sumSquares(x) : null);
  }
  return b;
}
