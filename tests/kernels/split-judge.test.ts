// When products stop being split across threads: only while the helpers are really not helping, never
// because of one late helper, and for pauses that grow while it lasts and start short again once it is over.
import { describe, expect, test } from 'vitest';
import { createSplitJudge, jobScore, MAX_PAUSE_MS, MIN_PAUSE_MS, type JobOutcome } from '../../src/engine/kernels/split-judge.ts';

// Jobs of 8 chunks on 2 threads, 0.1 ms per chunk.
const good: JobOutcome = { mine: 4, chunks: 8, workMs: 0.4, waitMs: 0.02 }; // a normal split
const stalled: JobOutcome = { mine: 7, chunks: 8, workMs: 0.7, waitMs: 3 }; // the helper was descheduled mid-chunk
const alone: JobOutcome = { mine: 8, chunks: 8, workMs: 0.8, waitMs: 0 }; // the helper never came

function judgeWithClock() {
  let t = 0;
  const judge = createSplitJudge(() => t);
  return { judge, advance: (ms: number) => (t += ms) };
}

describe('job score', () => {
  test('is about 1/n for a balanced split, 1 when the caller did everything, more when it also waited', () => {
    expect(jobScore(good)).toBeCloseTo(0.525, 3);
    expect(jobScore(alone)).toBe(1);
    expect(jobScore({ mine: 8, chunks: 8, workMs: 0.8, waitMs: 0.4 })).toBeCloseTo(1.5, 6);
    expect(jobScore({ mine: 0, chunks: 8, workMs: 0, waitMs: 0.4 })).toBe(0);
  });

  test('counts a stall as at most twice the caller-alone time', () => {
    expect(jobScore(stalled)).toBe(2);
    expect(jobScore({ ...stalled, waitMs: 1000 })).toBe(2);
  });
});

describe('split judge', () => {
  test('never pauses over a long run of good jobs with an isolated stall every 20', () => {
    const { judge } = judgeWithClock();
    for (let i = 0; i < 2000; i++) {
      judge.record(i % 20 === 19 ? stalled : good);
      expect(judge.paused()).toBe(false);
    }
  });

  test('keeps splitting when the caller regularly waits out the helper\'s last chunk (the job still takes 0.7 of the time alone)', () => {
    const { judge } = judgeWithClock();
    for (let i = 0; i < 2000; i++) {
      judge.record({ mine: 4, chunks: 8, workMs: 0.4, waitMs: 0.15 });
      expect(judge.paused()).toBe(false);
    }
  });

  test('pauses after three stalls in a row', () => {
    const { judge } = judgeWithClock();
    for (let i = 0; i < 50; i++) judge.record(good);
    judge.record(stalled);
    judge.record(stalled);
    expect(judge.paused()).toBe(false);
    judge.record(stalled);
    expect(judge.paused()).toBe(true);
  });

  test('pauses when the helpers never take a chunk, within a few dozen jobs', () => {
    const { judge } = judgeWithClock();
    let jobs = 0;
    while (!judge.paused() && jobs < 100) {
      judge.record(alone);
      jobs++;
    }
    expect(judge.paused()).toBe(true);
    expect(jobs).toBeLessThan(30);
  });

  test('doubles the pause while the helpers stay unhelpful, up to the maximum, and starts short again after good jobs', () => {
    const { judge, advance } = judgeWithClock();
    const pauses: number[] = [];
    for (let round = 0; round < 8; round++) {
      while (!judge.paused()) judge.record(stalled);
      let ms = 0;
      while (judge.paused()) {
        advance(1);
        ms++;
      }
      pauses.push(ms);
    }
    expect(pauses).toEqual([50, 100, 200, 400, 800, 1600, 2000, 2000].map((p) => Math.min(MAX_PAUSE_MS, p)));
    for (let i = 0; i < 10; i++) judge.record(good);
    while (!judge.paused()) judge.record(stalled);
    let ms = 0;
    while (judge.paused()) {
      advance(1);
      ms++;
    }
    expect(ms).toBe(MIN_PAUSE_MS);
  });
});
