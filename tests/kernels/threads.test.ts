/**
 * Splitting a product between threads must not change a single bit: threads split C by rows or columns,
 * never along K, so each element is summed in the same order.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { getKernels, naiveGemm } from '../../src/engine/kernels/index.ts';
import { createWasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';
import { filled } from '../support/filled.ts';

// The engine's shapes (scaled down where the naive check would be slow): input projection, recurrent step,
// dWhh = dG^T·Hprev, dX = dG·W, decoder, matrix-vector both ways.
const shapes: Array<[string, boolean, boolean, number, number, number]> = [
  ['input projection', false, true, 640, 1024, 32],
  ['recurrent step', false, true, 32, 1024, 256],
  ['dWhh', true, false, 512, 256, 640],
  ['dX', false, false, 640, 256, 1024],
  ['decoder', false, true, 2048, 80, 256],
  ['odd sizes', true, true, 301, 203, 101],
  ['matvec W·x', false, true, 1, 1024, 256],
  ['matvec x·B', false, false, 1, 1030, 256],
  ['matrix times column', false, false, 999, 1, 257],
];

describe('two threads', () => {
  const one = getKernels({ backend: 'wasm', threads: 1 });
  // Not adaptive: on a busy machine the default instance would stop splitting, and these tests need the split.
  const two = createWasmKernels(2, { adaptive: false })!;
  beforeAll(() => two.ready);

  test('are really used when WebAssembly is available', () => {
    expect(two.name).toBe('wasm-simd');
    expect(two.threads).toBe(2);
  });

  test('share the work: the worker computes chunks of large products', () => {
    const A = two.alloc(256 * 256).fill(1), C = two.alloc(256 * 256);
    const before = two.stats.workerChunks;
    // The worker may be descheduled on a shared machine; it only has to take part eventually.
    for (let i = 0; i < 500 && two.stats.workerChunks === before; i++) two.gemm(false, false, 256, 256, 256, A, A, C, false);
    expect(two.stats.workerChunks).toBeGreaterThan(before);
    expect(C.every((x) => x === 256)).toBe(true);
  });

  test.each(shapes)('give bitwise the same %s as one thread', (_name, tA, tB, M, N, K) => {
    for (const acc of [false, true]) {
      const A = filled(M * K, 1), B = filled(K * N, 2), C0 = filled(M * N, 3);
      const c1 = Float32Array.from(C0), c2 = Float32Array.from(C0);
      one.gemm(tA, tB, M, N, K, A, B, c1, acc);
      two.gemm(tA, tB, M, N, K, A, B, c2, acc);
      expect(Buffer.from(c2.buffer).equals(Buffer.from(c1.buffer))).toBe(true);
      // and both are right, not merely equal
      const want = Float64Array.from(C0);
      naiveGemm(tA, tB, M, N, K, A, B, want, acc);
      let worst = 0, scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(c2[i] - want[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
      expect(worst).toBeLessThan(1e-4 * (scale + Math.sqrt(K)));
    }
  });

  test('stay bitwise identical over a long run of back-to-back products of changing shapes', () => {
    // Jobs follow each other faster than a worker wakes: a late worker must never mix two jobs' arguments.
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return 1 + (seed % n);
    };
    for (let round = 0; round < 300; round++) {
      const M = next(3) === 1 ? 1 : next(96), N = next(300), K = next(200);
      const tA = next(2) === 1, tB = next(2) === 1, acc = next(2) === 1;
      const A = filled(M * K, round), B = filled(K * N, round + 1), C0 = filled(M * N, round + 2);
      const c1 = Float32Array.from(C0), c2 = Float32Array.from(C0);
      one.gemm(tA, tB, M, N, K, A, B, c1, acc);
      two.gemm(tA, tB, M, N, K, A, B, c2, acc);
      if (!Buffer.from(c2.buffer).equals(Buffer.from(c1.buffer))) {
        throw new Error(`round ${round}: ${M}×${N}×${K} tA=${tA} tB=${tB} acc=${acc} differs between thread counts`);
      }
    }
  });
});
