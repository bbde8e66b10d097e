/**
 * A weight packed once (packB) and reused for many products gives bit for bit what packing it inside every
 * product gives, on one thread and on two, for every layout and for sizes that cut panels and blocks.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { getKernels, naiveGemm } from '../../src/engine/kernels/index.ts';
import { createWasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';
import { KERNEL_SHAPE } from '../../src/engine/kernels/gemm-wasm.generated.ts';
import { filled } from '../support/filled.ts';

const { KC, NC, NR } = KERNEL_SHAPE;
// [name, transA, transB, M, N, K]: the recurrent step forward (h·Whhᵀ) and backward (dG·Whh), then sizes
// that leave partial panels, several KC slices and several NC blocks.
const shapes: Array<[string, boolean, boolean, number, number, number]> = [
  ['step forward h·Whhᵀ', false, true, 32, 1024, 256],
  ['step backward dG·Whh', false, false, 32, 256, 1024],
  ['partial panel', false, true, 7, NR * 3 + 5, 33],
  ['several KC slices', false, false, 9, 40, 2 * KC + 17],
  ['several NC blocks', false, true, 5, NC + 3 * NR + 1, KC + 1],
  ['transposed A', true, false, 19, 70, 45],
];

const bytesEqual = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  .equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('a pre-packed B', () => {
  const one = getKernels({ backend: 'wasm', threads: 1 });
  const two = createWasmKernels(2, { adaptive: false, splitMacs: 1 })!;
  beforeAll(() => two.ready);

  test('is offered by the WebAssembly kernels', () => {
    expect(one.packB).toBeTypeOf('function');
  });

  test.each(shapes)('gives bitwise the same %s as packing per product', (_name, tA, tB, M, N, K) => {
    for (const k of [one, two]) {
      const A = k.alloc(M * K), B = k.alloc(K * N);
      A.set(filled(M * K, 1));
      B.set(filled(K * N, 2));
      const packed = k.packB!(tB, K, N, B);
      for (const acc of [false, true]) {
        const C0 = filled(M * N, 3);
        const plain = k.alloc(M * N), pre = k.alloc(M * N);
        plain.set(C0);
        pre.set(C0);
        k.gemm(tA, tB, M, N, K, A, B, plain, acc);
        k.gemm(tA, tB, M, N, K, A, B, pre, acc, packed);
        expect(bytesEqual(pre, plain)).toBe(true);
        // and right, not merely equal
        const want = Float64Array.from(C0);
        naiveGemm(tA, tB, M, N, K, A, B, want, acc);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(pre[i] - want[i]));
        expect(worst).toBeLessThan(1e-4 * K);
        k.free(plain);
        k.free(pre);
      }
      k.freePacked!(packed);
      k.free(A);
      k.free(B);
    }
  });

  test('is refreshed in place when the weight changes, and a stale shape is ignored', () => {
    const k = one;
    const M = 4, N = 48, K = 20;
    const A = k.alloc(M * K).fill(1), B = k.alloc(K * N).fill(1);
    const packed = k.packB!(true, K, N, B);
    B.fill(2);
    const again = k.packB!(true, K, N, B, packed);
    expect(again.data).toBe(packed.data); // same memory, new contents
    const C = k.alloc(M * N);
    k.gemm(false, true, M, N, K, A, B, C, false, again);
    expect(C.every((x) => x === 2 * K)).toBe(true);
    // the product reads the packed panels, not B
    packed.data.fill(0);
    k.gemm(false, true, M, N, K, A, B, C, false, again);
    expect(C.every((x) => x === 0)).toBe(true);
    // a PackedB of another shape is not used: the product packs B itself
    const other = k.packB!(true, K, N - NR, B);
    k.gemm(false, true, M, N, K, A, B, C, false, other);
    expect(C.every((x) => x === 2 * K)).toBe(true);
  });
});
