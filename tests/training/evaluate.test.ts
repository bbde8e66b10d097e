// Scoring a text (storyteller eval): text the model cannot read is counted, reported and charged, never
// dropped for free, so a model that knows less of a text never scores better on it.
import { describe, expect, it, vi } from 'vitest';
import { loadModel } from '../../src/models.ts';
import { evaluateLoss, evaluateText } from '../../src/training/evaluate.ts';

const KNOWN = 'Once upon a time a little fox saw a bird in the tall grass. The bird sang and the fox sat still.\n\n'.repeat(4);

describe('evaluateText', () => {
  it('charges each character a char model has no token for log2(V+1) bits, and counts it', async () => {
    const lm = await loadModel('tales-char');
    const foreign = 'Ж'.repeat(200); // not in the vocabulary
    const clean = evaluateText(lm, KNOWN);
    const mixed = evaluateText(lm, KNOWN + foreign);
    expect(clean.unknown.count).toBe(0);
    expect(mixed.unknown.count).toBe(200);
    expect(mixed.unknown.rate).toBeCloseTo(200 / (Array.from(KNOWN).length + 200), 9);
    const V = lm.tokenizer.vocab.length;
    expect(mixed.unknown.bits).toBeCloseTo(200 * Math.log2(V + 1), 9);
    expect(mixed.unknown.charge).toContain(`log2 of the ${V} known characters + 1`);
    // Dropping the foreign characters for free would have left the figure at clean.bpc.
    expect(mixed.bpc).toBeGreaterThan(clean.bpc + 1);
  });

  it('for a word model reports the out-of-vocabulary rate and charges the spelling of each unknown word', async () => {
    const lm = await loadModel('tales-word');
    const made = ' Zorblax quinthorp vexilumb.'.repeat(10);
    const r = evaluateText(lm, KNOWN + made);
    expect(r.unknown.count).toBe(30);
    expect(r.unknown.rate).toBeGreaterThan(0);
    expect(r.unknown.bits).toBeGreaterThan(30 * 7);
    // Counting <unk> as just another word would give this lower figure, rewarding a smaller vocabulary.
    const unkAsWord = (r.loss * r.tokens) / r.chars / Math.LN2;
    expect(r.bpc).toBeGreaterThan(unkAsWord);
  });

  it('reports progress through a long text, ending at the total', async () => {
    const lm = await loadModel('tales-char');
    const tokens = lm.tokenizer.encodeCorpus(KNOWN.repeat(10));
    const seen: Array<[number, number]> = [];
    evaluateLoss(lm.model, tokens, 4, 32, 0, (done, total) => seen.push([done, total]));
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((a, b) => a - b));
    const [done, total] = seen.at(-1)!;
    expect(done).toBe(total);
    const spy = vi.fn();
    evaluateText(lm, KNOWN, { onProgress: spy });
    expect(spy).toHaveBeenCalled();
  });
});
