// The small seeded long-dependency experiment shared by the LSTM and RNN specs (one file each, so the two
// trainings run side by side on two cores): three countries, filler gaps of 1-60 characters, about
// 25,000 parameters per model, Adam 0.003, scored by greedy completion at gaps of 30-60 characters.
// Everything is seeded, so a run gives the same figures every time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fastBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { COUNTRY_LANGUAGE, episodesToText, generateEpisodes, loadFillerPool } from '../../src/demos/long-dependency-corpus.ts';
import { runLongDependencyEval } from '../../src/demos/long-dependency.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { train } from '../../src/training/trainer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const PAIRS = COUNTRY_LANGUAGE.slice(0, 3);
export const CHANCE = 1 / PAIRS.length;
const TRAIN_GAP = { min: 1, max: 60 };
export const TEST_GAP = { min: 30, max: 60 };
/** Step budget per model; accuracy is checked every CHECK_EVERY steps and training stops once it reaches stopAt. */
export const MAX_STEPS = 3000;
const CHECK_EVERY = 500;

export interface MiniResult { accuracy: number; steps: number; history: Array<[step: number, accuracy: number]> }

export async function runMiniExperiment(cell: 'lstm' | 'rnn', hiddenSize: number, stopAt = 1.01): Promise<MiniResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'long-dep-mini-'));
  try {
    const data = path.join(dir, 'train.txt');
    const fillers = loadFillerPool(ROOT, 'early-reader', 'train');
    const testFillers = loadFillerPool(ROOT, 'early-reader', 'test');
    writeFileSync(data, episodesToText(generateEpisodes(6000, 'experiment', {
      fillers, minGap: TRAIN_GAP.min, maxGap: TRAIN_GAP.max, gapDistribution: 'log-uniform', pairs: PAIRS,
    })));
    const backend = await fastBackend();
    const config = resolveTrainConfig({
      cell, layers: 1, hiddenSize, embeddingSize: 16, seqLength: 100, batchSize: 32, lr: 0.003, gradClip: 1,
      maxSteps: MAX_STEPS, evalEvery: CHECK_EVERY, checkpointEvery: CHECK_EVERY, evalTokens: 2000, logEvery: CHECK_EVERY,
      unwrap: false, seed: 'experiment',
    });
    const history: Array<[number, number]> = [];
    const control = { stopRequested: false, paused: false };
    for await (const e of train({ config, data: [data], out: path.join(dir, `${cell}.safetensors`), backend, control })) {
      if (e.type !== 'checkpoint' || e.kind !== 'latest' || history.at(-1)?.[0] === e.step) continue;
      const ck = await loadCheckpoint(e.path, backend);
      const lm = { name: cell, path: e.path, model: ck.model, tokenizer: ck.tokenizer, card: ck.card };
      const [r] = runLongDependencyEval([lm], { fillers: testFillers, perBucket: 60, pairs: PAIRS, buckets: [TEST_GAP], seed: 'experiment/test' });
      ck.model.dispose();
      history.push([e.step, r!.accuracy]);
      if (r!.accuracy >= stopAt) control.stopRequested = true;
    }
    const [steps, accuracy] = history.at(-1)!;
    return { accuracy, steps, history };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
