/**
 * Every gemm backend and thread count must agree with the naive triple loop on every layout the engine uses.
 * Float32 tolerance: 1e-5 of the magnitude sum Σ|a·b| (+|C| when accumulating) of each element.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { getKernels, jsGemm, jsKernels, kernelsReady, naiveGemm, type Kernels } from '../../src/engine/kernels/index.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomArray(n: number, rand: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2;
  return a;
}

/** Σ_k |op(A)[i,k]·op(B)[k,j]| (+|C0|): the scale against which rounding error is judged. */
function magnitudes(tA: boolean, tB: boolean, M: number, N: number, K: number,
                    A: Float32Array, B: Float32Array, C0: Float32Array, acc: boolean): Float64Array {
  const absA = Float64Array.from(A, Math.abs);
  const absB = Float64Array.from(B, Math.abs);
  const mag = new Float64Array(M * N);
  if (acc) for (let i = 0; i < M * N; i++) mag[i] = Math.abs(C0[i]);
  naiveGemm(tA, tB, M, N, K, absA, absB, mag, true);
  return mag;
}

function expectClose(got: Float32Array, want: Float64Array, mag: Float64Array): void {
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= 1e-5 * mag[i] + 1e-30)) {
      throw new Error(`element ${i}: got ${got[i]}, want ${want[i]} (error ${err}, magnitude ${mag[i]})`);
    }
  }
}

interface Case { M: number; N: number; K: number }
const shapes: Case[] = [
  { M: 1, N: 1, K: 1 }, { M: 7, N: 13, K: 5 }, { M: 33, N: 129, K: 65 }, { M: 1, N: 300, K: 77 },
  { M: 5, N: 1, K: 40 }, { M: 64, N: 80, K: 256 }, { M: 19, N: 17, K: 300 }, { M: 2, N: 3, K: 0 },
  { M: 130, N: 70, K: 33 }, { M: 1, N: 1024, K: 256 }, { M: 1, N: 4500, K: 9 }, { M: 4500, N: 1, K: 6 },
];
const transposes: Array<[boolean, boolean]> = [[false, false], [false, true], [true, false], [true, true]];

/** Runs one product through `kernels` with arrays placed as `place` says, and checks it against naiveGemm. */
function check(kernels: Kernels, tA: boolean, tB: boolean, { M, N, K }: Case, acc: boolean,
               place: (n: number, src: Float32Array) => Float32Array, seed = 1): void {
  const rand = rng(seed + M * 7919 + N * 104729 + K * 31 + (tA ? 2 : 0) + (tB ? 1 : 0));
  const A = randomArray(M * K, rand), B = randomArray(K * N, rand), C0 = randomArray(M * N, rand);
  const want = Float64Array.from(C0);
  naiveGemm(tA, tB, M, N, K, Float64Array.from(A), Float64Array.from(B), want, acc);
  const a = place(A.length, A), b = place(B.length, B), c = place(C0.length, C0);
  kernels.gemm(tA, tB, M, N, K, a, b, c, acc);
  expectClose(c, want, magnitudes(tA, tB, M, N, K, A, B, C0, acc));
}

const backends: Array<[string, () => Kernels]> = [
  ['js', () => jsKernels()],
  ['wasm, 1 thread', () => getKernels({ backend: 'wasm', threads: 1 })],
  ['wasm, 2 threads', () => getKernels({ backend: 'wasm', threads: 2 })],
];

describe.each(backends)('gemm on %s', (_label, make) => {
  const kernels = make();
  beforeAll(() => kernelsReady(kernels));

  test.each(transposes)('matches the naive product for every shape (transA=%s, transB=%s)', (tA, tB) => {
    for (const shape of shapes) {
      for (const acc of [false, true]) check(kernels, tA, tB, shape, acc, (_n, src) => Float32Array.from(src));
    }
  });

  test('reads and writes subarray views at odd offsets', () => {
    const place = (n: number, src: Float32Array): Float32Array => {
      const backing = new Float32Array(n + 11).fill(NaN);
      const view = backing.subarray(3, 3 + n);
      view.set(src);
      return view;
    };
    for (const [tA, tB] of transposes) check(kernels, tA, tB, { M: 33, N: 129, K: 65 }, true, place);
  });

  test('leaves memory around the output view untouched', () => {
    const backing = kernels.alloc(7 * 13 + 10);
    backing.fill(42);
    const c = backing.subarray(5, 5 + 7 * 13);
    kernels.gemm(false, false, 7, 13, 5, new Float32Array(35).fill(1), new Float32Array(65).fill(1), c, false);
    expect([...backing.subarray(0, 5), ...backing.subarray(5 + 91)]).toEqual(new Array(10).fill(42));
    expect(c.every((x) => x === 5)).toBe(true);
  });

  test('works on arrays allocated by its own alloc, at odd offsets', () => {
    const place = (n: number, src: Float32Array): Float32Array => {
      const view = kernels.alloc(n + 5).subarray(1, 1 + n);
      view.set(src);
      return view;
    };
    for (const [tA, tB] of transposes) {
      for (const shape of shapes) check(kernels, tA, tB, shape, true, place, 3);
    }
  });

  test('overwrites rather than adds when accumulate is false, even over NaN', () => {
    const C = new Float32Array(6).fill(NaN);
    kernels.gemm(false, false, 2, 3, 1, Float32Array.of(1, 2), Float32Array.of(1, 2, 3), C, false);
    expect([...C]).toEqual([1, 2, 3, 2, 4, 6]);
  });
});

describe('alloc', () => {
  test.each(backends)('returns zeroed arrays of the requested length (%s)', (_label, make) => {
    const a = make().alloc(1000);
    expect(a.length).toBe(1000);
    expect(a.every((x) => x === 0)).toBe(true);
  });

  test('keeps earlier views valid after the memory grows', () => {
    const kernels = getKernels({ backend: 'wasm', threads: 1 });
    const first = kernels.alloc(16);
    first.fill(7);
    const big = kernels.alloc(40 * 1024 * 1024); // forces growth past the initial pages
    big[big.length - 1] = 1;
    expect(first.length).toBe(16);
    expect(first.every((x) => x === 7)).toBe(true);
    const C = kernels.alloc(4);
    kernels.gemm(false, false, 2, 2, 2, first.subarray(0, 4), first.subarray(4, 8), C, false);
    expect([...C]).toEqual([98, 98, 98, 98]);
  });
});

describe('free', () => {
  const kernels = getKernels({ backend: 'wasm', threads: 1 });

  test('lets a later alloc of the same length reuse the block, zeroed', () => {
    const a = kernels.alloc(777);
    a.fill(3);
    kernels.free(a);
    const b = kernels.alloc(777);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((x) => x === 0)).toBe(true);
  });

  test('ignores a second free of the same block, so it is never handed out twice', () => {
    const a = kernels.alloc(555);
    kernels.free(a);
    kernels.free(a);
    const b = kernels.alloc(555), c = kernels.alloc(555);
    expect(b.byteOffset).not.toBe(c.byteOffset);
  });

  test('ignores subarrays and arrays it did not allocate', () => {
    const a = kernels.alloc(333);
    kernels.free(a.subarray(0, 100));
    kernels.free(new Float32Array(333));
    expect(kernels.alloc(333).byteOffset).not.toBe(a.byteOffset);
  });
});

describe('getKernels', () => {
  test('returns one instance per option set', () => {
    expect(getKernels({ threads: 1 })).toBe(getKernels({ threads: 1 }));
    expect(getKernels({ backend: 'js' })).not.toBe(getKernels({ threads: 1 }));
  });

  test('gives the TypeScript backend when asked for it', () => {
    expect(getKernels({ backend: 'js' }).name).toBe('js');
  });
});

describe('jsGemm in Float64 (for gradient checks)', () => {
  test.each(transposes)('matches the naive product to 1e-12 (transA=%s, transB=%s)', (tA, tB) => {
    const rand = rng(11);
    for (const { M, N, K } of shapes) {
      const A = Float64Array.from({ length: M * K }, rand), B = Float64Array.from({ length: K * N }, rand);
      const C0 = Float64Array.from({ length: M * N }, rand);
      const got = Float64Array.from(C0), want = Float64Array.from(C0);
      jsGemm(tA, tB, M, N, K, A, B, got, true);
      naiveGemm(tA, tB, M, N, K, A, B, want, true);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12);
    }
  });
});
