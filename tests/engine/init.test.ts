// Initialisation follows PyTorch's defaults, except for a forget-gate bias the recipe chooses.
import { describe, expect, it } from 'vitest';
import { f64Backend } from '../../src/engine/backend.ts';
import { RNNModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';

const H = 32;
const config = { cell: 'lstm' as const, layers: 2, hiddenSize: H, embeddingSize: 8, vocabSize: 20, dropout: 0, tieWeights: false };

function initialised(forgetBias?: number) {
  const m = new RNNModel(config, f64Backend);
  m.params.init(new Rng('init'), forgetBias);
  return m.params;
}

describe('parameter initialisation', () => {
  it('keeps every weight and bias within ±1/√H and the embedding at unit variance', () => {
    const p = initialised(0);
    const k = 1 / Math.sqrt(H);
    for (const name of ['rnn.weight_ih_l0', 'rnn.weight_hh_l1', 'rnn.bias_ih_l0', 'rnn.bias_hh_l1', 'decoder.weight', 'decoder.bias']) {
      expect(Math.max(...Array.from(p.view(name), Math.abs)), name).toBeLessThanOrEqual(k);
    }
    const e = Array.from(p.view('encoder.weight'));
    const variance = e.reduce((a, v) => a + v * v, 0) / e.length;
    expect(variance).toBeGreaterThan(0.8);
    expect(variance).toBeLessThan(1.2);
  });

  it('adds forgetBias to the forget slice (i, f, g, o order) of each layer\'s input bias, and nothing else', () => {
    const base = initialised(0), shifted = initialised(1.5), byDefault = initialised();
    for (const layer of [0, 1]) {
      const b0 = base.view(`rnn.bias_ih_l${layer}`), b1 = shifted.view(`rnn.bias_ih_l${layer}`);
      for (let i = 0; i < 4 * H; i++) expect(b1[i] - b0[i]).toBeCloseTo(i >= H && i < 2 * H ? 1.5 : 0, 12);
      expect(Array.from(shifted.view(`rnn.bias_hh_l${layer}`))).toEqual(Array.from(base.view(`rnn.bias_hh_l${layer}`)));
    }
    expect(byDefault.view('rnn.bias_ih_l0')[H] - base.view('rnn.bias_ih_l0')[H]).toBeCloseTo(1, 12);
  });
});
