// Episodes in a row: the streams are built as the corpus writes episodes, answered with the state carried
// from the episodes before, and a cell without a forget gate lets its cell state grow along the stream.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFillerPool } from '../../src/demos/long-dependency-corpus.ts';
import { scoreEpisode } from '../../src/demos/long-dependency.ts';
import { evaluateStreams, makeStreams, scoreStream, traceStream } from '../../src/demos/multi-episode.ts';
import { largestUnits, meanAbs, streamPictures } from '../../src/demos/stream-pictures.ts';
import { fastBackend } from '../../src/engine/backend.ts';
import { CELL_TYPES } from '../../src/engine/config.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { episodeTokenizer, ROOT, untrainedModel } from './variant-models.ts';

const fillers = loadFillerPool(ROOT, 'early-reader', 'test');

describe('streams of episodes', () => {
  it('are deterministic for a seed, one episode per line, each country different from the one before', () => {
    const a = makeStreams({ fillers, streams: 20, episodes: 5, seed: 's' });
    const b = makeStreams({ fillers, streams: 20, episodes: 5, seed: 's' });
    expect(a.map((s) => s.text)).toEqual(b.map((s) => s.text));
    expect(makeStreams({ fillers, streams: 20, episodes: 5, seed: 't' }).map((s) => s.text)).not.toEqual(a.map((s) => s.text));
    for (const s of a) {
      expect(s.episodes).toHaveLength(5);
      expect(s.text.split('\n')).toEqual(s.episodes.map((e) => e.text));
      for (let k = 1; k < s.episodes.length; k++) expect(s.episodes[k]!.country).not.toBe(s.episodes[k - 1]!.country);
    }
    // The countries do change: across the streams more than a handful appear.
    expect(new Set(a.flatMap((s) => s.episodes.map((e) => e.country))).size).toBeGreaterThan(10);
  });

  it('refuse a stream of one episode and a single country', () => {
    expect(() => makeStreams({ fillers, episodes: 1 })).toThrow(/at least 2 episodes/);
    expect(() => makeStreams({ fillers, pairs: [['France', 'French']] })).toThrow(/two countries/);
  });
});

describe('answering the episodes of a stream', () => {
  it('gives each answer as a model that read the whole stream so far from a fresh state would', async () => {
    const backend = await fastBackend();
    const ck = await loadCheckpoint(path.join(ROOT, 'models/long-dep-lstm.safetensors'), backend);
    const lm = { name: 'long-dep-lstm', path: '', ...ck };
    for (const stream of makeStreams({ fillers, streams: 3, episodes: 3, seed: 'consistency' })) {
      const scores = scoreStream(lm, stream);
      stream.episodes.forEach((e, k) => {
        const prefix = { ...e, text: stream.episodes.slice(0, k + 1).map((x) => x.text).join('\n') };
        const fresh = scoreEpisode(lm, prefix);
        expect(scores[k]!.completion).toBe(fresh.completion);
        expect(scores[k]!.prob).toBeCloseTo(fresh.prob, 4);
      });
    }
  });

  it('scores the 2nd and later episodes: the shipped LSTM far above the shipped RNN, which stays near chance', async () => {
    const backend = await fastBackend();
    const load = async (name: string) => ({ name, path: '', ...(await loadCheckpoint(path.join(ROOT, 'models', `${name}.safetensors`), backend)) });
    const streams = makeStreams({ fillers, streams: 12, episodes: 3, seed: 'lstm-vs-rnn' });
    const lstm = evaluateStreams(await load('long-dep-lstm'), streams);
    const rnn = evaluateStreams(await load('long-dep-rnn'), streams);
    console.log('multi-episode accuracy: LSTM', lstm.accuracy, 'RNN', rnn.accuracy, 'LSTM mean |c| by question', lstm.cellNorm);
    expect(lstm.n).toBe(24);
    expect(lstm.accuracy).toBeGreaterThan(rnn.accuracy + 0.5);
    expect(rnn.accuracy).toBeLessThan(0.25);
    expect(lstm.cellNorm).toHaveLength(3);
    expect(rnn.cellNorm).toBeUndefined();
    expect(lstm.params).toBe(30132);
  });
});

describe('the cell state along a stream', () => {
  const tokenizer = episodeTokenizer();
  const [stream] = makeStreams({ fillers, streams: 1, episodes: 6, seed: 'growth' });
  // Mean |c| over the last episode against the first.
  const growth = (cell: 'lstm' | 'lstm-no-forget' | 'lstm-coupled') => {
    const tr = traceStream(untrainedModel(cell, tokenizer), stream!);
    const norms = meanAbs(tr.cell);
    const mean = (from: number, to: number) => norms.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    const starts = tr.episodeStarts;
    return mean(starts.at(-1)!, norms.length) / mean(starts[0]!, starts[1]!);
  };

  it('grows episode after episode without a forget gate and stays level with one', () => {
    const noForget = growth('lstm-no-forget');
    const lstm = growth('lstm');
    const coupled = growth('lstm-coupled');
    console.log('mean |c| last episode / first episode: no-forget', noForget, 'lstm', lstm, 'coupled', coupled);
    expect(noForget).toBeGreaterThan(2);
    expect(lstm).toBeLessThan(1.5);
    expect(coupled).toBeLessThan(1.5);
  });

  it('traces one row per character read and a forget gate only where the cell shows one', () => {
    for (const cell of CELL_TYPES) {
      const tr = traceStream(untrainedModel(cell, tokenizer), stream!);
      expect(tr.chars.join('')).toBe('\n' + stream!.text);
      expect(tr.cell).toHaveLength(tr.chars.length);
      expect(tr.forget === undefined).toBe(cell === 'rnn' || cell === 'lstm-no-forget');
      expect(tr.chars[tr.episodeStarts[2]!]).toBe('I');
      expect(tr.chars[tr.episodeStarts[2]! - 1]).toBe('\n');
    }
  });

  it('draws a cell-state heatmap per model, a forget-gate one where there is a gate, and one plot of the LSTM family', () => {
    const models = CELL_TYPES.map((c) => untrainedModel(c, tokenizer));
    const names = streamPictures(models, stream!, 4).map((p) => p.name);
    expect(names).toEqual([
      'stream-cell-long-dep-lstm', 'stream-forget-long-dep-lstm',
      'stream-cell-long-dep-gru', 'stream-forget-long-dep-gru',
      'stream-cell-long-dep-rnn',
      'stream-cell-long-dep-lstm-peephole', 'stream-forget-long-dep-lstm-peephole',
      'stream-cell-long-dep-lstm-coupled', 'stream-forget-long-dep-lstm-coupled',
      'stream-cell-long-dep-lstm-no-forget',
      'stream-cell-norm',
    ]);
  });

  it('picks the units with the largest mean |value|', () => {
    expect(largestUnits([[0.1, -3, 2], [0.1, -1, 2.5]], 2)).toEqual([2, 1]); // means 0.1, 2, 2.25
    expect(largestUnits([[1, 1]], 5)).toEqual([0, 1]);
  });
});
