// Central finite differences in Float64 agree with the analytic backward pass for every parameter and
// every input: layer inputs x, initial states h0 and c0, embedding and decoder.
import { describe, expect, it } from 'vitest';
import { f64Backend } from '../../src/engine/backend.ts';
import { hasCellState, type CellType } from '../../src/engine/config.ts';
import { RnnModel, softmaxCrossEntropy } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { ALL_CELLS, makeLayer, randomArray } from './helpers.ts';

const EPS = 1e-5;
const TOL = 1e-6;

/** Checks d(loss)/d(a[i]) for every i against central differences; returns the worst relative error. */
function worstError(a: Float64Array, analytic: ArrayLike<number>, loss: () => number, eps = EPS): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const keep = a[i];
    a[i] = keep + eps;
    const up = loss();
    a[i] = keep - eps;
    const down = loss();
    a[i] = keep;
    const numeric = (up - down) / (2 * eps);
    // The difference quotient carries rounding noise of about |loss|·1e-16/EPS ≈ 1e-10, so relative error
    // is measured against a floor of 1e-4 in the denominator: an absolute difference of 1e-10 at most.
    worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric) + Math.abs(analytic[i]), 1e-4));
  }
  return worst;
}

describe.each<CellType>(ALL_CELLS)('%s layer gradients', (cell) => {
  it.each([
    { T: 1, B: 1, D: 1, H: 1 },
    { T: 4, B: 2, D: 3, H: 3 },
    { T: 3, B: 1, D: 2, H: 5 },
  ])('match finite differences for Wih, Whh, biases, peepholes, x, h0, c0 (T=$T B=$B D=$D H=$H)', ({ T, B, D, H }) => {
    const rng = new Rng(`grad-${cell}-${T}${B}${D}${H}`);
    const { layer, p } = makeLayer(cell, D, H, rng);
    const x = randomArray(rng, T * B * D);
    const h0 = randomArray(rng, B * H, 0.5);
    const c0 = hasCellState(cell) ? randomArray(rng, B * H, 0.5) : null;
    // A loss touching every output and the final state: Σ w⊙out + Σ wh⊙hT + Σ wc⊙cT.
    const w = randomArray(rng, T * B * H);
    const wh = randomArray(rng, B * H);
    const wc = randomArray(rng, B * H);
    const loss = () => {
      const out = layer.forward(x, T, B, h0, c0);
      let s = 0;
      for (let i = 0; i < out.length; i++) s += w[i] * out[i];
      const hT = layer.lastH();
      for (let i = 0; i < hT.length; i++) s += wh[i] * hT[i];
      const cT = layer.lastC();
      if (cT) for (let i = 0; i < cT.length; i++) s += wc[i] * cT[i];
      return s;
    };
    loss();
    const g = layer.backward(w, wh, c0 ? wc : null);
    const dx = Float64Array.from(g.dx);
    const dh0 = Float64Array.from(g.dh0);
    const dc0 = g.dc0 ? Float64Array.from(g.dc0) : null;
    const worst: Record<string, number> = {
      Wih: worstError(p.Wih as Float64Array, p.dWih, loss),
      Whh: worstError(p.Whh as Float64Array, p.dWhh, loss),
      bih: worstError(p.bih as Float64Array, p.dbih, loss),
      bhh: worstError(p.bhh as Float64Array, p.dbhh, loss),
      x: worstError(x, dx, loss),
      h0: worstError(h0, dh0, loss),
    };
    if (c0 && dc0) worst.c0 = worstError(c0, dc0, loss);
    if (p.peephole) {
      for (const g of ['i', 'f', 'o'] as const) {
        worst[`peephole_${g}`] = worstError(p.peephole[g] as Float64Array, p.peephole[`d${g}`], loss);
      }
    }
    expect(Object.keys(worst)).toHaveLength(6 + (c0 ? 1 : 0) + (cell === 'lstm-peephole' ? 3 : 0));
    for (const [name, e] of Object.entries(worst)) expect(e, name).toBeLessThan(TOL);
  });
});

describe.each<CellType>(ALL_CELLS)('%s language model gradients', (cell) => {
  it.each([false, true])('match finite differences for embedding, every layer, decoder and (h0, c0), tied=%s', (tied) => {
    const V = 6;
    const config = { cell, layers: 2, hiddenSize: 4, embeddingSize: 4, vocabSize: V, dropout: 0, tieWeights: tied };
    const model = new RnnModel(config, f64Backend);
    const rng = new Rng(`model-grad-${cell}-${tied}`);
    // Parameters of order one (not the small training init) keep every gradient well above rounding noise.
    model.params.data.set(randomArray(rng, model.params.size, 1));
    const T = 3;
    const B = 2;
    const tokens = Int32Array.from({ length: T * B }, () => rng.int(V));
    const targets = Int32Array.from({ length: T * B }, () => rng.int(V));
    const s0 = model.zeroState(B);
    for (const a of [...s0.h, ...s0.c]) if (a) a.set(randomArray(rng, a.length, 0.5));
    const loss = () => {
      const st = { B, h: s0.h.map((a) => a.slice()), c: s0.c.map((a) => (a ? a.slice() : null)) };
      const logits = model.forward(tokens, T, B, st);
      return softmaxCrossEntropy(logits, targets, T * B, V, null, 1, model.backend);
    };
    model.params.zeroGrad();
    const st = { B, h: s0.h.map((a) => a.slice()), c: s0.c.map((a) => (a ? a.slice() : null)) };
    const logits = model.forward(tokens, T, B, st);
    const dLogits = new Float64Array(logits.length);
    softmaxCrossEntropy(logits, targets, T * B, V, dLogits, 1, model.backend);
    const d0 = model.backward(dLogits);
    const dState = [...d0.h, ...d0.c].filter((a): a is Float64Array => !!a).map((a) => Float64Array.from(a));
    const grad = Float64Array.from(model.params.grad);
    // This loss sums six cross-entropies (≈10 nats), so a step of 1e-5 would leave rounding noise of ≈1e-10 in
    // the quotient, the whole tolerance for the smallest gradients; 1e-4 cuts it tenfold while the truncation
    // error (≈ step²) stays near 1e-8.
    const eps = 1e-4;
    expect(worstError(model.params.data as Float64Array, grad, loss, eps)).toBeLessThan(TOL);
    const states = [...s0.h, ...s0.c].filter((a): a is Float64Array => !!a);
    states.forEach((a, i) => expect(worstError(a, dState[i], loss, eps), `state ${i}`).toBeLessThan(TOL));
  });
});
