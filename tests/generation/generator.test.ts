// The generator: seeded determinism, sampling rules, streamed token events with gate traces, stop rules.
import { describe, expect, it } from 'vitest';
import { f32LoopBackend, f64Backend } from '../../src/engine/backend.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { FINISH_LIMIT, STORY_FLOOR, type GenerationEvent } from '../../src/generation/events.ts';
import { endsSentence, generate, generateText, type LoadedModel } from '../../src/generation/generator.ts';
import { sampleToken, softmax } from '../../src/generation/sampler.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { UNK, WordTokenizer } from '../../src/text/word-tokenizer.ts';

function randomModel(cell: 'lstm' | 'gru' | 'rnn' = 'lstm'): LoadedModel {
  const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz .!?\n"');
  const model = new RnnModel({ cell, layers: 2, hiddenSize: 12, embeddingSize: 6, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f32LoopBackend);
  model.params.init(new Rng('gen'));
  // Larger weights than the training init make the distribution peaked enough to be interesting.
  for (let i = 0; i < model.params.size; i++) model.params.data[i] *= 8;
  return { name: 'random', path: '', model, tokenizer, card: {} };
}

const events = (lm: LoadedModel, o: Parameters<typeof generate>[1]) => [...generate(lm, o)];

describe('generator', () => {
  const lm = randomModel();

  it('gives the same text for the same seed and different text for another seed', () => {
    const a = generateText(lm, { prime: 'abc', length: 60, seed: 's1', temperature: 1 });
    expect(generateText(lm, { prime: 'abc', length: 60, seed: 's1', temperature: 1 }).text).toBe(a.text);
    expect(generateText(lm, { prime: 'abc', length: 60, seed: 's2', temperature: 1 }).text).not.toBe(a.text);
  });

  it('chooses and reports a seed when none is given, and that seed reproduces the story', () => {
    const first = generateText(lm, { prime: 'a', length: 40, temperature: 1 });
    expect(first.seed).toMatch(/^[0-9a-z]+$/);
    expect(generateText(lm, { prime: 'a', length: 40, temperature: 1, seed: first.seed }).text).toBe(first.text);
  });

  it('at temperature 0 always picks the most likely token (the top candidate)', () => {
    for (const ev of events(lm, { prime: 'the', length: 30, temperature: 0, seed: 'x' })) {
      if (ev.type === 'token') expect(ev.id).toBe(ev.top[0].id);
    }
  });

  it('with top-k 1 or a tiny top-p equals greedy decoding', () => {
    const greedy = generateText(lm, { prime: 'go', length: 40, temperature: 0 }).text;
    expect(generateText(lm, { prime: 'go', length: 40, temperature: 1.3, topK: 1, seed: 'k' }).text).toBe(greedy);
    expect(generateText(lm, { prime: 'go', length: 40, temperature: 1.3, topP: 1e-6, seed: 'p' }).text).toBe(greedy);
  });

  it('streams token events whose probabilities are the model distribution, top candidates sorted', () => {
    const toks = events(lm, { prime: 'ab', length: 20, seed: 'q', temperature: 1, topCandidates: 4 }).filter((e) => e.type === 'token');
    expect(toks).toHaveLength(20);
    for (const t of toks) {
      if (t.type !== 'token') continue;
      expect(t.top).toHaveLength(4);
      expect(t.top[0].prob).toBeGreaterThanOrEqual(t.top[1].prob);
      expect(t.prob).toBeGreaterThan(0);
      expect(t.text).toBe(lm.tokenizer.vocab[t.id]);
    }
  });

  it('attaches per-layer forget, input, output gates and cell state in [0,1] / finite when tracing', () => {
    const tok = events(lm, { prime: 'ab', length: 3, seed: 'g', trace: true }).find((e) => e.type === 'token') as Extract<GenerationEvent, { type: 'token' }>;
    expect(tok.gates).toHaveLength(2);
    for (const layer of tok.gates!) {
      for (const k of ['forget', 'input', 'output'] as const) {
        expect(layer[k]).toHaveLength(12);
        expect(layer[k]!.every((v) => v >= 0 && v <= 1)).toBe(true);
      }
      expect(layer.cell.every(Number.isFinite)).toBe(true);
    }
    expect(events(lm, { prime: 'ab', length: 1, seed: 'g' }).find((e) => e.type === 'token')).toMatchObject({ gates: undefined });
  });

  it('stops after the first sentence when asked, keeping a closing quote', () => {
    const texts = ['s1', 's2', 's3', 's4', 's5'].map((seed) => generateText(lm, { prime: 'a', length: 400, seed, temperature: 1, stop: 'sentence' }).text);
    const stopped = texts.filter((t) => t.length < 400);
    expect(stopped.length).toBeGreaterThan(0);
    for (const t of stopped) expect(t).toMatch(/[a-z][^\n]*[.!?]"?$/);
  });

  it('with finish, goes past the length to the end of the sentence, or else ends at the last finished one', () => {
    let extended = 0;
    let cut = 0;
    for (const seed of ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10']) {
      const plain = generateText(lm, { prime: 'a', length: 60, seed, temperature: 1 }).text;
      const evs = events(lm, { prime: 'a', length: 60, seed, temperature: 1, finish: true });
      const end = evs.at(-1)!;
      if (end.type !== 'end') throw new Error('no end event');
      const streamed = evs.flatMap((e) => (e.type === 'token' ? [e.text] : []));
      expect(plain).toHaveLength(60);
      // The end event's text is the streamed text less the cut tokens.
      expect(end.text).toBe(streamed.slice(0, streamed.length - (end.cut ?? 0)).join(''));
      expect(end.tokens).toBe(streamed.length - (end.cut ?? 0));
      if (end.cut) {
        cut++;
        // Ran out of room mid-sentence: the story stops at its last finished sentence, nothing after it.
        expect(endsSentence(end.text)).toBe(true);
        expect((streamed.join('').startsWith(end.text))).toBe(true);
        expect(streamed.join('').slice(end.text.length, -1)).not.toMatch(/[a-z][^\n]*[.!?]"?$/);
      } else if (end.text.length > 60 && end.text.length < 100) {
        extended++;
        expect(end.text.startsWith(plain)).toBe(true);
        expect(end.text).toMatch(/([.!?]"?|\n)$/);
        expect(end.text.slice(60, -2)).not.toMatch(/[a-z][.!?]/);
      }
      // Every token after which the text ends a sentence says so, and no other.
      let text = '';
      for (const e of evs) if (e.type === 'token') {
        text += e.text;
        expect(!!e.sentenceEnd).toBe(endsSentence(text));
      }
    }
    expect(extended).toBeGreaterThan(0);
    expect(cut).toBeGreaterThan(0);
  });

  it('with finish, a paragraph or sentence stop before the floor does not end the story', () => {
    const floor = Math.ceil(60 * STORY_FLOOR);
    let longer = 0;
    for (const seed of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']) {
      const free = generateText(lm, { prime: 'a', length: 60, seed, temperature: 1, stop: 'sentence' });
      const end = events(lm, { prime: 'a', length: 60, seed, temperature: 1, stop: 'sentence', finish: true }).at(-1)!;
      if (end.type !== 'end') throw new Error('no end event');
      // Ended by the stop rule (not cut back for want of a later sentence end): never before the floor.
      if (!end.cut && end.reason === 'sentence') expect(end.tokens).toBeGreaterThanOrEqual(floor);
      if (free.tokens < floor && end.tokens > free.tokens) longer++;
    }
    expect(longer).toBeGreaterThan(0); // the floor was met, not just allowed
  });

  it('with finish, a run-on sentence past the length is finished, not cut back below the floor', () => {
    const length = 60;
    const floor = Math.ceil(length * STORY_FLOOR);
    const cap = length + 40;
    let finishedLate = 0;
    for (let k = 0; k < 60; k++) {
      const evs = events(lm, { prime: 'a', length, seed: `r${k}`, temperature: 1.4, finish: true });
      const end = evs.at(-1)!;
      if (end.type !== 'end') throw new Error('no end event');
      const streamed = evs.filter((e) => e.type === 'token').length;
      // Cut back below the floor only when no sentence ended within FINISH_LIMIT times the length.
      if (end.cut && end.tokens < floor) expect(streamed).toBe(length * FINISH_LIMIT);
      // Past the usual search: the story ends at the first sentence end it finds (or, having none at all, at the limit).
      if (streamed > cap && !end.cut) {
        if (endsSentence(end.text.trimEnd())) finishedLate++;
        else expect([streamed, evs.some((e) => e.type === 'token' && e.sentenceEnd)]).toEqual([length * FINISH_LIMIT, false]);
      }
    }
    expect(finishedLate).toBeGreaterThan(0); // the longer search happened and found sentence ends
  });

  it('best of n keeps the candidate with the highest mean log probability per token, reproducibly', () => {
    const o = { prime: 'a', length: 50, seed: 'b', temperature: 1.2 };
    const meanLogProb = (seed: string) => {
      const p = events(lm, { ...o, seed }).flatMap((e) => (e.type === 'token' ? [Math.log(e.prob)] : []));
      return p.reduce((a, b) => a + b, 0) / p.length;
    };
    const scores = [meanLogProb('b'), meanLogProb('b#2'), meanLogProb('b#3'), meanLogProb('b#4')];
    const want = scores.indexOf(Math.max(...scores)) + 1;
    const evs = events(lm, { ...o, bestOf: 4 });
    const end = evs.at(-1)!;
    expect(end).toMatchObject({ type: 'end', seed: 'b', best: { candidate: want, of: 4 } });
    if (end.type === 'end') expect(end.best!.meanLogProb).toBeCloseTo(scores[want - 1], 10);
    const text = generateText(lm, { ...o, bestOf: 4 }).text;
    expect(text).toBe(generateText(lm, { ...o, seed: want === 1 ? 'b' : `b#${want}` }).text);
    expect(generateText(lm, { ...o, bestOf: 1 }).text).toBe(generateText(lm, o).text);
  });

  it('knows a finished sentence when it sees one', () => {
    for (const t of ['The end.', 'He said "Go!"', 'Why? ', 'a b c?)', 'x.\u201D']) expect(endsSentence(t.trimEnd())).toBe(true);
    for (const t of ['The end', '...', 'Mr', 'one.\n', 'line\n.', '"Go']) expect(endsSentence(t)).toBe(false);
  });

  it('ends with an end event counting the tokens', () => {
    const evs = events(lm, { prime: '', length: 15, seed: 'e' });
    expect(evs[0].type).toBe('start');
    expect(evs.at(-1)).toMatchObject({ type: 'end', tokens: 15, reason: 'length' });
  });

  it('rejects absurd options with a message naming the value', () => {
    expect(() => events(lm, { length: -5 })).toThrow(/--length.*-5/);
    expect(() => events(lm, { temperature: 99 })).toThrow(/--temperature.*99/);
    expect(() => events(lm, { topP: 0 })).toThrow(/--top-p/);
  });
});

describe('word-level generation', () => {
  it('never writes <unk>, even when the model favours it', () => {
    const tokenizer = WordTokenizer.fromText('the dog saw a cat . the cat ran', { minCount: 1 });
    const model = new RnnModel({ cell: 'lstm', layers: 1, hiddenSize: 4, embeddingSize: 4, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f32LoopBackend);
    model.params.init(new Rng('unk'));
    model.params.view('decoder.bias')[tokenizer.idOf(UNK)!] = 50; // <unk> is by far the likeliest token
    const lm = { name: 'w', path: '', model, tokenizer, card: {} };
    for (const temperature of [0, 1]) expect(generateText(lm, { prime: 'the', length: 30, temperature, seed: 'u' }).text).not.toContain(UNK);
  });
});

describe('sampler', () => {
  it('draws tokens with the frequencies of the softmax distribution', () => {
    const logits = Float32Array.from([0, 1, 2]);
    const p = new Float64Array(3);
    softmax(logits, 1, p);
    const rng = new Rng('freq');
    const counts = [0, 0, 0];
    const scratch = new Float64Array(3);
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, { temperature: 1, topK: 0, topP: 1 }, rng, scratch)]++;
    counts.forEach((c, i) => expect(Math.abs(c / 20000 - p[i])).toBeLessThan(0.015));
  });
  it('never draws outside the top-k', () => {
    const logits = Float32Array.from([3, 2, 1, 0]);
    const rng = new Rng('k');
    const scratch = new Float64Array(4);
    for (let i = 0; i < 2000; i++) expect(sampleToken(logits, { temperature: 2, topK: 2, topP: 1 }, rng, scratch)).toBeLessThan(2);
  });
});

describe('running a sequence in chunks with carried state', () => {
  it.each(['lstm', 'gru', 'rnn'] as const)('equals running it whole (%s)', (cell) => {
    const V = 7;
    const m = new RnnModel({ cell, layers: 2, hiddenSize: 5, embeddingSize: 3, vocabSize: V, dropout: 0, tieWeights: false }, f64Backend);
    m.params.init(new Rng('chunks'));
    const B = 2;
    const T = 9;
    const rng = new Rng('tokens');
    const tokens = Int32Array.from({ length: T * B }, () => rng.int(V));
    const whole = Float64Array.from(m.forward(tokens, T, B, m.zeroState(B)));
    const st = m.zeroState(B);
    const parts: number[] = [];
    for (const [a, b] of [[0, 3], [3, 4], [4, 9]]) parts.push(...m.forward(tokens.subarray(a * B, b * B), b - a, B, st));
    expect(parts.length).toBe(whole.length);
    parts.forEach((v, i) => expect(Math.abs(v - whole[i])).toBeLessThan(1e-12));
  });
});
