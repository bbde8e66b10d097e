import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFillerPool } from '../../src/demos/long-dependency-corpus.ts';
import { bucketEpisodes, selectionScorer } from '../../src/demos/long-dependency.ts';
import { correlationRatio, linearProbe, nearestMeanProbe } from '../../src/demos/probe-stats.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { fastBackend } from '../../src/engine/backend.ts';
import { arithmeticDemo, unrollOneUnit } from '../../src/demos/gradients.ts';
import { pricesDemo } from '../../src/demos/prices.ts';
import { formatBucketTable, formatPrices } from '../../src/demos/format.ts';
import { Rng } from '../../src/engine/rng.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fillers = loadFillerPool(ROOT, 'early-reader', 'test');

describe('test episodes by gap bucket', () => {
  it('puts every episode inside its bucket', () => {
    const sets = bucketEpisodes({ fillers, perBucket: 10, buckets: [{ min: 10, max: 49 }, { min: 200, max: 299 }] });
    for (const { bucket, episodes } of sets) {
      expect(episodes).toHaveLength(10);
      for (const e of episodes) {
        expect(e.gap).toBeGreaterThanOrEqual(bucket.min);
        expect(e.gap).toBeLessThanOrEqual(bucket.max);
      }
    }
  });
});

describe('the selection score of a long-dependency run', () => {
  it('is the share of right answers on training-filler episodes: high for the shipped LSTM, near chance for the RNN', async () => {
    const backend = await fastBackend();
    const score = selectionScorer(ROOT, 10);
    const load = async (name: string) => ({ name, path: '', ...(await loadCheckpoint(path.join(ROOT, 'models', `${name}.safetensors`), backend)) });
    expect(score(await load('long-dep-lstm'))).toBeGreaterThan(0.7);
    expect(score(await load('long-dep-rnn'))).toBeLessThan(0.2);
  });
});

describe('memory-cell statistics', () => {
  it('gives η² = 1 when a value is fixed by its group and 0 when groups share a mean', () => {
    expect(correlationRatio([1, 1, 5, 5], [0, 0, 1, 1])).toBeCloseTo(1, 12);
    expect(correlationRatio([1, 5, 1, 5], [0, 0, 1, 1])).toBeCloseTo(0, 12);
  });

  it('reads a label that is linearly present and stays near chance on noise', () => {
    const rng = new Rng('probe');
    const make = (n: number, signal: number) => {
      const x: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const k = i % 3;
        y.push(k);
        x.push([0, 1, 2, 3].map((j) => (j === k ? signal : 0) + rng.uniform(-1, 1)));
      }
      return { x, y };
    };
    expect(linearProbe(make(90, 3), make(60, 3), 3)).toBeGreaterThan(0.9);
    expect(linearProbe(make(90, 0), make(300, 0), 3)).toBeLessThan(0.5);
  });

  it('reads 24 labels from one number when each label has its own level (a single memory cell)', () => {
    const rng = new Rng('cell');
    const make = (n: number, noise: number) => {
      const y = Array.from({ length: n }, (_, i) => i % 24);
      return { x: y.map((k) => k * 0.1 + rng.uniform(-noise, noise)), y };
    };
    expect(nearestMeanProbe(make(96, 0.02), make(96, 0.02))).toBe(1);
    // levels buried in noise ten times their spacing: near chance
    expect(nearestMeanProbe(make(96, 1), make(480, 1))).toBeLessThan(0.2);
  });
});

describe('gradient arithmetic of a one-unit RNN', () => {
  it('multiplies the gradient by 2 per step: 2^50 after 50 steps in the linear range', () => {
    const r = unrollOneUnit(2, 50, 1e-20);
    expect(r.gradient / 2 ** 50).toBeCloseTo(1, 6);
  });

  it('shrinks it to 0.5^50 with weight 0.5', () => {
    const r = unrollOneUnit(0.5, 50, 1e-20);
    expect(r.gradient / 0.5 ** 50).toBeCloseTo(1, 6);
  });

  it('matches the forward pass: h50 = h0 · w^50 while the unit is linear', () => {
    const r = unrollOneUnit(2, 50, 1e-20);
    expect(r.hT / (1e-20 * 2 ** 50)).toBeCloseTo(1, 6);
  });

  it('vanishes instead when the w = 2 unit saturates', () => {
    const d = arithmeticDemo();
    expect(d.saturated[0]!.gradient).toBeLessThan(1e-10);
    expect(Math.abs(d.saturated[0]!.hT)).toBeGreaterThan(0.9);
  });
});

describe('the one-unit LSTM on two companies', () => {
  const d = pricesDemo();

  it('predicts 0 for company A and 1 for company B', () => {
    expect(d.companies[0]!.prediction).toBeCloseTo(0, 1);
    expect(d.companies[1]!.prediction).toBeCloseTo(1, 1);
    expect(d.lossAfter).toBeLessThan(d.lossBefore / 100);
  });

  it('tells them apart by a long-term memory that differs from day 1 on', () => {
    const [a, b] = d.companies;
    for (let t = 0; t < 4; t++) expect(a!.days[t]!.cell).not.toBeCloseTo(b!.days[t]!.cell, 2);
  });

  it('reports the prediction as the short-term memory after day 4', () => {
    for (const c of d.companies) expect(c.prediction).toBe(c.days[3]!.hidden);
  });

  it('prints a day-by-day table per company', () => {
    const text = formatPrices(d);
    expect(text).toMatch(/company A: days 1-4 = 0, 0.5, 0.25, 1; day 5 should be 0/);
    expect(text.split('\n').filter((l) => /^\d\s/.test(l))).toHaveLength(8);
  });
});

describe('text tables', () => {
  it('puts cell types side by side per gap bucket with the chance level', () => {
    const rows = ['lstm', 'rnn'].flatMap((cell, i) => [
      { cell, gapMin: 10, gapMax: 49, n: 4, accuracy: 1 - i / 2, meanProb: 0.9, languages: 4 },
      { cell, gapMin: 200, gapMax: 299, n: 4, accuracy: 0.75 - i / 2, meanProb: 0.5, languages: 4 },
    ]);
    const text = formatBucketTable(rows);
    expect(text).toMatch(/^gap \(chars\)\s+n\s+lstm acc\s+lstm p\s+rnn acc\s+rnn p/);
    expect(text).toMatch(/200-299\s+4\s+75%\s+0\.50\s+25%\s+0\.50/);
    expect(text).toMatch(/chance 25%/);
  });

  it('gives each test set its own titled table, a column pair per model name', () => {
    const row = (model: string, test: 'generator' | 'stories', accuracy: number) => ({ cell: 'lstm', model, test, gapMin: 200, gapMax: 299, n: 10, accuracy, meanProb: 0.5, languages: 24 });
    const text = formatBucketTable([row('long-dep-lstm', 'generator', 0.9), row('long-dep-prose-lstm', 'generator', 0.8), row('long-dep-lstm', 'stories', 0.1), row('long-dep-prose-lstm', 'stories', 0.7)]);
    const [generator, stories] = text.split('\n\n');
    expect(generator).toMatch(/^generator filler: .*\ngap \(chars\)\s+n\s+lstm acc\s+lstm p\s+prose-lstm acc\s+prose-lstm p\n200-299\s+10\s+90%\s+0\.50\s+80%\s+0\.50$/);
    expect(stories).toMatch(/^unseen prose: .*\n.*\n200-299\s+10\s+10%\s+0\.50\s+70%\s+0\.50\nacc: /);
  });
});
