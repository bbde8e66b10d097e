// Answer weighting (--answer-cue, --answer-weight): the tokens of the answer after each cue count more in
// the loss, so a skill that shows in a few tokens (the language after "I speak fluent ") is not drowned by
// the filler around it. The weights mark exactly the answer, and the step's gradient is the gradient of the
// weighted loss.
import { describe, expect, it } from 'vitest';
import { f64Backend } from '../../src/engine/backend.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { WordTokenizer } from '../../src/text/word-tokenizer.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { answerWeights, BatchStreams } from '../../src/training/data.ts';
import { trainWeights } from '../../src/training/run-start.ts';
import { Sgd } from '../../src/training/optimizer.ts';
import { trainStep } from '../../src/training/step.ts';

const EPISODES = 'I grew up in Japan. We sat. I speak fluent Japanese.\nI grew up in Spain. I speak fluent Spanish.\nI speak no more.\n';

/** The characters of `text` whose weight is not 1. */
function weighted(text: string, w: Float32Array): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += w[i] !== 1 ? text[i] : ' ';
  return out.replace(/ +/g, ' ').trim();
}

describe('answer weights', () => {
  it('weigh the letters of each answer after the cue, and nothing else', () => {
    const tok = CharTokenizer.fromText(EPISODES, false);
    const tokens = tok.encodeCorpus(EPISODES);
    const w = trainWeights(tokens, tok, { answerCue: 'I speak fluent ', answerWeight: 20 })!;
    expect(weighted(EPISODES, w)).toBe('Japanese Spanish');
    expect(new Set(w)).toEqual(new Set([1, 20]));
  });

  it('weigh the one word after the cue at word level', () => {
    const tok = WordTokenizer.fromText(EPISODES, { minCount: 1, maxVocab: 100, unwrap: false });
    const tokens = tok.encodeCorpus(EPISODES);
    const w = trainWeights(tokens, tok, { answerCue: 'I speak fluent ', answerWeight: 5 })!;
    const words = Array.from(tokens, (id, i) => (w[i] === 5 ? tok.vocab[id] : null)).filter(Boolean);
    expect(words).toEqual(['Japanese', 'Spanish']);
  });

  it('leave training unchanged without a cue, at weight 1, or when the cue never occurs', () => {
    const tok = CharTokenizer.fromText(EPISODES, false);
    const tokens = tok.encodeCorpus(EPISODES);
    expect(trainWeights(tokens, tok, { answerCue: '', answerWeight: 20 })).toBeNull();
    expect(trainWeights(tokens, tok, { answerCue: 'I speak fluent ', answerWeight: 1 })).toBeNull();
    expect(trainWeights(tokens, tok, { answerCue: 'I sat ', answerWeight: 20 })).toBeNull();
    expect(answerWeights(Int32Array.from([1, 2, 3]), [2], () => true, 3, 1)).toEqual(Float32Array.from([1, 1, 3]));
  });

  it('refuse a cue the corpus cannot spell, in one line', () => {
    const tok = CharTokenizer.fromText(EPISODES, false);
    expect(() => trainWeights(tok.encodeCorpus(EPISODES), tok, { answerCue: 'I speak ZULU', answerWeight: 2 })).toThrow(/--answer-cue "I speak ZULU" has characters or words the corpus never uses/);
  });

  it('are options with a checked range', () => {
    expect(resolveTrainConfig({ answerCue: 'I speak fluent ', answerWeight: 20 })).toMatchObject({ answerCue: 'I speak fluent ', answerWeight: 20 });
    expect(() => resolveTrainConfig({ answerWeight: 0.5 })).toThrow('--answer-weight must be in [1, 1000] (got 0.5)');
  });

  it('follow the targets through the batch streams', () => {
    const tokens = Int32Array.from({ length: 41 }, (_, i) => i);
    const weights = Float32Array.from({ length: 41 }, (_, i) => i + 0.5);
    const s = new BatchStreams(tokens, 2, 5, 0, weights);
    s.next();
    for (let r = 0; r < 10; r++) expect(s.w![r]).toBe(s.y[r] + 0.5);
    expect(new BatchStreams(tokens, 2, 5).w).toBeNull();
  });
});

describe('a weighted training step', () => {
  it('moves the weights down the gradient of the weighted loss (finite differences)', () => {
    const [T, B, V] = [5, 2, 7];
    const rng = new Rng('answer-weights/step');
    const model = new RnnModel({ cell: 'lstm', layers: 1, hiddenSize: 4, embeddingSize: 3, vocabSize: V, dropout: 0, tieWeights: false }, f64Backend);
    model.params.init(rng, 1, 'uniform');
    const x = Int32Array.from({ length: T * B }, () => rng.int(V));
    const y = Int32Array.from({ length: T * B }, () => rng.int(V));
    // Answers (6), ordinary text (1) and padding that is not scored (0).
    const weights = Float32Array.from({ length: T * B }, (_, r) => (r % 3 === 0 ? 6 : r % 4 === 1 ? 0 : 1));

    // The weighted mean cross-entropy, computed the obvious way from fresh state.
    const rowLosses = () => {
      const logits = model.forward(x, T, B, model.zeroState(B), false, rng);
      return Array.from({ length: T * B }, (_, r) => {
        const row = Array.from(logits.subarray(r * V, (r + 1) * V));
        const max = Math.max(...row);
        return max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[y[r]];
      });
    };
    const weightedLoss = () => {
      const logits = model.forward(x, T, B, model.zeroState(B), false, rng);
      let total = 0;
      for (let r = 0; r < T * B; r++) {
        const row = Array.from(logits.subarray(r * V, (r + 1) * V));
        const max = Math.max(...row);
        const logZ = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        total += weights[r] * (logZ - row[y[r]]);
      }
      return total / (T * B);
    };

    const P = model.params.data;
    const before = Float64Array.from(P);
    const lr = 0.1;
    const scored = rowLosses().filter((_, r) => weights[r] !== 0);
    const { loss } = trainStep(model, x, y, T, B, model.zeroState(B), { optimizer: new Sgd(), lr, gradClip: 0, rng, dLogits: f64Backend.alloc(T * B * V), weights });
    // The loss reported is the plain mean over the scored targets.
    expect(loss).toBeCloseTo(scored.reduce((a, b) => a + b, 0) / scored.length, 10);
    expect(scored.length).toBeLessThan(T * B);
    const analytic = Float64Array.from(P, (p, i) => (before[i] - p) / lr);
    P.set(before);

    const eps = 1e-6;
    let worst = 0;
    for (let i = 0; i < P.length; i += 3) {
      P[i] = before[i] + eps;
      const up = weightedLoss();
      P[i] = before[i] - eps;
      const down = weightedLoss();
      P[i] = before[i];
      const numeric = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric) + Math.abs(analytic[i]), 1e-4));
    }
    expect(worst).toBeLessThan(1e-5);
  });
});
