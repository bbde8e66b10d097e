// The seeded small experiment, LSTM side (the RNN side is long-dependency-rnn.test.ts, run alongside):
// within the step budget the LSTM carries the country across 30-60 characters of filler and names the
// right language almost every time.
import { describe, expect, it } from 'vitest';
import { CHANCE, MAX_STEPS, runMiniExperiment } from './long-dependency-mini.ts';

describe('a small LSTM on three countries', () => {
  it('names the language at gaps of 30-60 characters, far above chance', async () => {
    const r = await runMiniExperiment('lstm', 64, 0.95); // 24,900 parameters
    console.log('LSTM accuracy by step', r.history);
    expect(r.steps).toBeLessThanOrEqual(MAX_STEPS);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.accuracy).toBeGreaterThan(2 * CHANCE);
  }, 300_000);
});
