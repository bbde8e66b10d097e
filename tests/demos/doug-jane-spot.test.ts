// The seed's Doug/Jane/Spot check on a model trained here: after "X saw", an LSTM that remembers the subject
// names someone else. Over 1,000 sampled sentences at temperature 1, "X saw X." stays rare.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { Rng } from '../../src/engine/rng.ts';
import { dougJaneSpotDemo, forgetAtNames } from '../../src/demos/doug-jane-spot.ts';
import type { CellType } from '../../src/engine/config.ts';
import { episodeTokenizer, untrainedModel } from './variant-models.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { train } from '../../src/training/trainer.ts';
import { scratchDir } from '../support/scratch.ts';

const NAMES = ['Doug', 'Jane', 'Spot', 'Sally', 'Puff', 'Mother', 'Father'];

/** Early-reader sentences in which nobody ever sees themselves. */
function corpus(n: number, seed: string): string {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = NAMES[rng.int(NAMES.length)];
    const others = NAMES.filter((x) => x !== a);
    const b = others[rng.int(others.length)];
    out.push(rng.next() < 0.75 ? `${a} saw ${b}.` : `See ${a} run.`);
  }
  return out.join(' ');
}

describe('Doug, Jane and Spot', () => {
  it('a word-level LSTM trained on text without "X saw X." writes it in under 3% of its saw sentences', async () => {
    const dir = scratchDir('djs');
    const data = path.join(dir, 'early.txt');
    writeFileSync(data, corpus(20000, 'djs-test'));
    const config = resolveTrainConfig({ level: 'word', minCount: 1, layers: 1, hiddenSize: 64, embeddingSize: 32, seqLength: 32, batchSize: 32, lr: 0.005, maxSteps: 900, evalEvery: 900, logEvery: 300, seed: 'djs-test' });
    const out = path.join(dir, 'djs.safetensors');
    const backend = await fastBackend();
    for await (const _ of train({ config, data: [data], out, backend }));
    const ck = await loadCheckpoint(out, backend);
    const report = dougJaneSpotDemo({ name: 'djs', path: out, ...ck }, { minSentences: 1000, temperature: 1, seed: 'djs-test/sample' });
    expect(report.saw.sentences).toBeGreaterThanOrEqual(1000);
    expect(report.saw.sawSentences).toBeGreaterThan(500);
    // A model blind to the subject would pick it about 1 time in 7 (14%).
    expect(report.saw.rate).toBeLessThan(0.03);
  }, 90_000);
});

describe('the forget gate at the name after "saw", by cell', () => {
  const text = 'Doug saw Jane. Jane saw Spot. Spot saw Doug. Sally saw Tim.';
  const tokenizer = episodeTokenizer();
  const at = (cell: CellType) => forgetAtNames(untrainedModel(cell, tokenizer), text);

  it('reads the forget gate of every LSTM cell that has one, as a share between 0 and 1', () => {
    for (const cell of ['lstm', 'lstm-peephole', 'lstm-coupled'] as const) {
      const r = at(cell)!;
      expect(r.names, cell).toBe(4);
      for (const f of [...r.atName, ...r.overall]) expect(f > 0 && f < 1, `${cell} ${f}`).toBe(true);
    }
  });

  it('has nothing to read in the GRU, the RNN and the LSTM whose forget gate is fixed at 1', () => {
    for (const cell of ['gru', 'rnn', 'lstm-no-forget'] as const) expect(at(cell), cell).toBeNull();
  });
});
