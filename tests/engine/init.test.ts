// Initialisation follows PyTorch's defaults, except for a forget-gate bias the recipe chooses.
import { describe, expect, it } from 'vitest';
import { f64Backend } from '../../src/engine/backend.ts';
import { GATES, type CellType } from '../../src/engine/config.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { randomOrthogonal, type RecurrentInit } from '../../src/engine/params.ts';
import { Rng } from '../../src/engine/rng.ts';
import { orthogonalityError } from '../support/orthogonality.ts';

const H = 32;
const config = { cell: 'lstm' as const, layers: 2, hiddenSize: H, embeddingSize: 8, vocabSize: 20, dropout: 0, tieWeights: false };

function initialised(forgetBias?: number, recurrent?: RecurrentInit, cell: CellType = 'lstm') {
  const m = new RnnModel({ ...config, cell }, f64Backend);
  m.params.init(new Rng('init'), forgetBias, recurrent);
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

  it('shifts the forget gate of the LSTM variants where it lives: peephole f rows, coupled i rows lowered (f = 1 − i), no-forget none', () => {
    const expected: Array<[CellType, number, number, number]> = [
      ['lstm-peephole', H, 2 * H, 1.5],
      ['lstm-coupled', 0, H, -1.5],
      ['lstm-no-forget', 0, 0, 0],
    ];
    for (const [cell, from, to, by] of expected) {
      const base = initialised(0, 'uniform', cell), shifted = initialised(1.5, 'uniform', cell);
      const b0 = base.view('rnn.bias_ih_l1'), b1 = shifted.view('rnn.bias_ih_l1');
      expect(b1.length).toBe(GATES[cell] * H);
      for (let i = 0; i < b1.length; i++) expect(b1[i] - b0[i], `${cell} ${i}`).toBeCloseTo(i >= from && i < to ? by : 0, 12);
    }
    const peep = initialised(1, 'uniform', 'lstm-peephole');
    for (const g of ['i', 'f', 'o']) {
      const v = Array.from(peep.view(`rnn.peephole_${g}_l0`));
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(H));
      expect(new Set(v).size).toBe(H);
    }
  });

  it('with orthogonal recurrent init, makes each gate block of weight_hh orthogonal and leaves every other tensor as drawn', () => {
    for (const cell of ['lstm', 'gru', 'rnn', 'lstm-peephole', 'lstm-coupled', 'lstm-no-forget'] as const) {
      const gates = GATES[cell];
      const uniform = initialised(1, 'uniform', cell), orth = initialised(1, 'orthogonal', cell);
      for (const layer of [0, 1]) {
        const w = orth.view(`rnn.weight_hh_l${layer}`);
        for (let g = 0; g < gates; g++) expect(orthogonalityError(w, g * H * H, H), `${cell} layer ${layer} gate ${g}`).toBeLessThan(1e-12);
        expect(Array.from(w)).not.toEqual(Array.from(uniform.view(`rnn.weight_hh_l${layer}`)));
      }
      for (const spec of orth.specs.filter((s) => !s.name.startsWith('rnn.weight_hh'))) {
        expect(Array.from(orth.view(spec.name)), spec.name).toEqual(Array.from(uniform.view(spec.name)));
      }
    }
  });

  it('draws orthogonal matrices without a preferred direction: entries average 0 with variance 1/n', () => {
    const n = 64;
    const q = randomOrthogonal(n, new Rng('haar'));
    const mean = q.reduce((a, v) => a + v, 0) / q.length;
    const variance = q.reduce((a, v) => a + v * v, 0) / q.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance * n).toBeCloseTo(1, 10);
    expect(Array.from(randomOrthogonal(n, new Rng('haar')))).toEqual(Array.from(q));
  });
});
