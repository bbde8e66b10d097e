// The small seeded experiment: a tiny LSTM and a tiny vanilla RNN trained in-process on a generated
// corpus with a moderate gap; the LSTM should name the right language more often.
// Opt-in (LONG_DEP_EXPERIMENT=1): with the budgets tried so far (≤ 2,000 steps, ≤ 1 minute on 2 cores)
// neither cell learns the link at gaps of 10-60 characters, so this test fails today; see docs/demos.md.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { COUNTRY_LANGUAGE, episodesToText, generateEpisodes, loadFillerPool } from '../../src/demos/long-dependency-corpus.ts';
import { runLongDependencyEval } from '../../src/demos/long-dependency.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { train } from '../../src/training/trainer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PAIRS = COUNTRY_LANGUAGE.slice(0, 3);
const GAP = { min: 20, max: 40 };

describe.skipIf(!process.env.LONG_DEP_EXPERIMENT)('LSTM against vanilla RNN at a moderate gap', () => {
  it('the LSTM names the language more often than the RNN', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'long-dep-'));
    const data = path.join(dir, 'train.txt');
    const fillers = loadFillerPool(ROOT, 'early-reader', 'train');
    writeFileSync(data, episodesToText(generateEpisodes(800, 'experiment', { fillers, minGap: GAP.min, maxGap: GAP.max, pairs: PAIRS })));
    const backend = await fastBackend();
    const accuracy: Record<string, number> = {};
    for (const [cell, H] of [['lstm', 32], ['rnn', 64]] as const) {
      const config = resolveTrainConfig({ cell, layers: 1, hiddenSize: H, embeddingSize: 16, seqLength: 100, batchSize: 16, lr: 0.01, gradClip: 1, maxSteps: 1500, evalEvery: 1500, logEvery: 500, unwrap: false, seed: 'experiment' });
      const out = path.join(dir, `${cell}.safetensors`);
      for await (const _ of train({ config, data: [data], out, backend }));
      const ck = await loadCheckpoint(out, backend);
      const lm = { name: cell, path: out, model: ck.model, tokenizer: ck.tokenizer, card: ck.card };
      const [r] = runLongDependencyEval([lm], { fillers: loadFillerPool(ROOT, 'early-reader', 'test'), perBucket: 60, pairs: PAIRS, buckets: [GAP], seed: 'experiment/test' });
      accuracy[cell] = r!.accuracy;
    }
    expect(accuracy.lstm).toBeGreaterThan(accuracy.rnn! + 0.2);
  }, 120_000);
});
