// The fast Float32 path (WASM SIMD kernels, worker threads) computes the same loss and gradients as the
// Float64 loop implementation, within Float32 rounding.
import { describe, expect, it } from 'vitest';
import { f64Backend, fastBackend, type Backend } from '../../src/engine/backend.ts';
import type { CellType } from '../../src/engine/config.ts';
import { RnnModel, softmaxCrossEntropy } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { ALL_CELLS } from './helpers.ts';

function lossAndGrad(backend: Backend, cell: CellType, T: number, B: number, H: number) {
  const V = 37;
  const config = { cell, layers: 2, hiddenSize: H, embeddingSize: 20, vocabSize: V, dropout: 0, tieWeights: false };
  const m = new RnnModel(config, backend);
  m.params.init(new Rng(`fast-${cell}`));
  const rng = new Rng('fast-data');
  const x = Int32Array.from({ length: T * B }, () => rng.int(V));
  const y = Int32Array.from({ length: T * B }, () => rng.int(V));
  const state = m.zeroState(B);
  for (const a of [...state.h, ...state.c]) if (a) for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-0.5, 0.5);
  m.params.zeroGrad();
  const logits = m.forward(x, T, B, state);
  const d = backend.alloc(T * B * V);
  const loss = softmaxCrossEntropy(logits, y, T * B, V, d, 1 / (T * B), backend) / (T * B);
  m.backward(d);
  return { loss, grad: Float64Array.from(m.params.grad) };
}

describe.each<CellType>(ALL_CELLS)('fast %s path', (cell) => {
  // H = 13 leaves a row tail (13 mod 4) in the element-wise kernels.
  it.each([[1, 48], [2, 48], [1, 13]])('agrees with the Float64 reference in loss and every gradient (threads=%i, H=%i)', async (threads, H) => {
    const fast = await fastBackend(threads);
    const a = lossAndGrad(fast, cell, 13, 7, H);
    const b = lossAndGrad(f64Backend, cell, 13, 7, H);
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
    let scale = 0;
    for (const g of b.grad) scale = Math.max(scale, Math.abs(g));
    let worst = 0;
    for (let i = 0; i < a.grad.length; i++) worst = Math.max(worst, Math.abs(a.grad[i] - b.grad[i]));
    // Float32 accumulations over a few hundred terms: errors of ~1e-6 of the largest gradient.
    expect(worst / scale).toBeLessThan(1e-4);
  });
});
