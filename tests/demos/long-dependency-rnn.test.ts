// The seeded small experiment, vanilla RNN side (the LSTM side is long-dependency-lstm.test.ts): with the
// same data, size and the LSTM's whole step budget, the RNN cannot carry the country across 30-60
// characters of filler and stays near chance.
import { describe, expect, it } from 'vitest';
import { CHANCE, MAX_STEPS, runMiniExperiment } from './long-dependency-mini.ts';

describe('a vanilla RNN of the same size on three countries', () => {
  it('stays near chance at gaps of 30-60 characters after the LSTM\'s whole budget', async () => {
    const r = await runMiniExperiment('rnn', 128); // 25,400 parameters; never stops early
    console.log('RNN accuracy by step', r.history);
    expect(r.steps).toBe(MAX_STEPS);
    expect(r.accuracy).toBeLessThan(CHANCE + 0.25);
  }, 300_000);
});
