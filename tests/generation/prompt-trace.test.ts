// tracePrompt: the prompt's tokens come back with the gates the model had while reading them, the probability
// it gave each one and its top candidates, without changing the story a seed tells.
import { describe, expect, it } from 'vitest';
import { f64Backend } from '../../src/engine/backend.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { GenerationEvent, PromptToken } from '../../src/generation/events.ts';
import { generate, type LoadedModel } from '../../src/generation/generator.ts';
import { softmax } from '../../src/generation/sampler.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';

function randomModel(): LoadedModel {
  const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz .!?\n"');
  const model = new RnnModel({ cell: 'lstm', layers: 2, hiddenSize: 10, embeddingSize: 6, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f64Backend);
  model.params.init(new Rng('prompt-trace'));
  for (let i = 0; i < model.params.size; i++) model.params.data[i] *= 4;
  return { name: 'random', path: '', model, tokenizer, card: {} };
}

const lm = randomModel();
// Longer than one priming chunk (32), so the chunked and the one-at-a-time paths both run.
const PROMPT = 'the quick brown fox jumps over the lazy dog. a cat sat.';

function promptTokens(evs: GenerationEvent[]): PromptToken[] {
  const p = evs.find((e) => e.type === 'prompt');
  if (!p || p.type !== 'prompt') throw new Error('no prompt event');
  return p.tokens;
}

describe('prompt tracing', () => {
  it('leaves the story and its token events unchanged for a seed', () => {
    const opts = { prime: PROMPT, length: 40, seed: 's', temperature: 1, trace: true };
    const plain = [...generate(lm, opts)];
    const traced = [...generate(lm, { ...opts, tracePrompt: true })];
    const strip = (evs: GenerationEvent[]) => evs.filter((e) => e.type === 'token' || e.type === 'end');
    expect(strip(traced)).toEqual(strip(plain));
    expect(plain.some((e) => e.type === 'prompt')).toBe(false);
  });

  it('yields every prompt token once, in order, between start and the first story token', () => {
    const evs = [...generate(lm, { prime: PROMPT, length: 5, seed: 's', trace: true, tracePrompt: true })];
    expect(evs.map((e) => e.type).slice(0, 3)).toEqual(['start', 'prompt', 'token']);
    const toks = promptTokens(evs);
    expect(toks.map((t) => t.text).join('')).toBe(PROMPT);
    expect(toks.map((t) => t.index)).toEqual([...PROMPT].map((_, i) => i));
  });

  it('gives each prompt token the gates of reading it one token at a time, and the probability it had', () => {
    const toks = promptTokens([...generate(lm, { prime: PROMPT, length: 1, seed: 's', trace: true, tracePrompt: true })]);
    // Reference: feed the start token, then the prompt one token at a time.
    const { model, tokenizer } = lm;
    const V = model.config.vocabSize;
    const state = model.zeroState(1);
    let logits = model.forward(Int32Array.of(tokenizer.idOf('\n')!), 1, 1, state).slice(0, V);
    const probs = new Float64Array(V);
    [...PROMPT].forEach((ch, k) => {
      const id = tokenizer.idOf(ch)!;
      softmax(logits, 1, probs);
      expect(toks[k].id).toBe(id);
      expect(toks[k].prob).toBeCloseTo(probs[id], 9);
      expect(toks[k].top[0].prob).toBeCloseTo(Math.max(...probs), 9);
      logits = model.forward(Int32Array.of(id), 1, 1, state).slice(0, V);
      const ref = model.trace(0, 0);
      for (let l = 0; l < ref.length; l++) {
        for (const kind of ['forget', 'input', 'output', 'cell'] as const) {
          ref[l][kind]!.forEach((v, u) => expect(toks[k].gates![l][kind]![u]).toBeCloseTo(v, 9));
        }
      }
    });
  });

  it('reads a story back with the gates it was written with, so a continuation can reuse them', () => {
    const evs = [...generate(lm, { prime: 'the cat', length: 50, seed: 's', temperature: 1, trace: true, tracePrompt: true })];
    const written = [...promptTokens(evs), ...evs.flatMap((e) => (e.type === 'token' ? [e] : []))];
    const story = written.map((t) => t.text).join('');
    const reread = promptTokens([...generate(lm, { prime: story, length: 1, seed: 's', trace: true, tracePrompt: true })]);
    expect(reread).toHaveLength(written.length);
    reread.forEach((t, i) => {
      expect(t.text).toBe(written[i].text);
      t.gates![1].cell.forEach((v, u) => expect(v).toBeCloseTo(written[i].gates![1].cell[u], 9));
    });
  });

  it('reports probabilities but no gates when only the prompt is traced', () => {
    const toks = promptTokens([...generate(lm, { prime: 'abc', length: 1, seed: 's', tracePrompt: true })]);
    expect(toks).toHaveLength(3);
    expect(toks.every((t) => t.gates === undefined && t.prob > 0 && t.prob < 1)).toBe(true);
  });
});
