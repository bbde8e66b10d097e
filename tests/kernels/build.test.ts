/**
 * The committed WebAssembly bytes must be exactly what the generator produces, so the kernels users run are
 * the kernels reviewed in build-kernels.ts (rerun `npm run build:kernels` after editing it).
 */
import { expect, test } from 'vitest';
import { compileWat, DEFAULT_SHAPE, generateWat } from '../../src/engine/kernels/build-kernels.ts';
import { GEMM_WASM_BASE64, KERNEL_SHAPE } from '../../src/engine/kernels/gemm-wasm.generated.ts';

test('the committed kernels were built with the default shape', () => {
  expect(KERNEL_SHAPE).toEqual(DEFAULT_SHAPE);
});

test('the committed kernels are byte for byte what build-kernels.ts generates', async () => {
  const bytes = await compileWat(generateWat(DEFAULT_SHAPE), DEFAULT_SHAPE.relaxed);
  expect(Buffer.from(bytes).toString('base64')).toBe(GEMM_WASM_BASE64);
});

test('the kernels use only baseline SIMD, which Node 20 runs without flags', () => {
  expect(WebAssembly.validate(Buffer.from(GEMM_WASM_BASE64, 'base64'))).toBe(true);
});
