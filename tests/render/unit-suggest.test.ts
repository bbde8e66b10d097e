// The rules that suggest units to colour the story by, on small matrices built so each rule has one right answer.
import { describe, expect, it } from 'vitest';
import { boundarySteps, stepSuggestion, suggestUnits } from '../../src/render/unit-suggest.ts';
import { Rng } from '../../src/engine/rng.ts';

const T = 120;
const rng = new Rng('suggest');
const noise = () => (rng.next() - 0.5) * 0.2;
// Tokens: sentences of 12 characters, each ending in '.'.
const texts = Array.from({ length: T }, (_, t) => (t % 12 === 11 ? '.' : 'a'));

/** Columns → rows (tokens × units). */
const rowsOf = (cols: number[][]) => Array.from({ length: T }, (_, t) => cols.map((c) => c[t]));

// A memory cell: holds one of a few levels, switching every 40 tokens.
const memory = Array.from({ length: T }, (_, t) => [1, 3, 2][Math.floor(t / 40)]);
// A counter: moves the same amount every step, over a wider range than the memory cell.
const counter = Array.from({ length: T }, (_, t) => -t / 10);
const noisy = Array.from({ length: T }, () => noise());
// Jumps right after each sentence end and drifts back slowly inside the sentence.
const boundary = Array.from({ length: T }, (_, t) => (t % 12 === 0 ? 0.8 : 0.8 - 0.05 * (t % 12)));

describe('suggestUnits', () => {
  it('memory: ranks a unit that holds levels and switches in a few jumps above a counter and noise', () => {
    const ranked = suggestUnits(rowsOf([counter, noisy, memory]), texts, 'memory', { kind: 'cell' });
    expect(ranked[0]).toMatchObject({ unit: 2 });
    expect(ranked[0].score).toBeGreaterThan(0.9);
    // Steps all alike: its largest tenth of steps holds a tenth of its change.
    expect(ranked.find((s) => s.unit === 0)!.score).toBeCloseTo(0.1, 2);
  });

  it('memory: weighs down a unit that barely moves, however neatly it jumps', () => {
    const tiny = memory.map((v) => v * 1e-3);
    const ranked = suggestUnits(rowsOf([tiny, memory]), texts, 'memory', { kind: 'cell' });
    expect(ranked[0].unit).toBe(1);
    expect(ranked[1].score).toBeLessThan(0.05);
  });

  it('variance: ranks by variance over the story', () => {
    const ranked = suggestUnits(rowsOf([noisy, counter, memory]), texts, 'variance');
    expect(ranked.map((s) => s.unit)).toEqual([1, 2, 0]);
  });

  it('boundary: ranks the unit that moves at sentence ends first', () => {
    const ranked = suggestUnits(rowsOf([counter.map((v) => v / 12), boundary, noisy]), texts, 'boundary');
    expect(ranked[0].unit).toBe(1);
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score + 0.1);
  });

  it('span: ranks the unit that is high inside the span and low outside first', () => {
    const marker = Array.from({ length: T }, (_, t) => (t >= 30 && t <= 50 ? 0.9 : 0.1) + noise() * 0.1);
    const ranked = suggestUnits(rowsOf([noisy, memory, marker]), texts, 'span', { span: { from: 50, to: 30 } });
    expect(ranked[0].unit).toBe(2);
  });

  it('span: scores every unit 0 without a span', () => {
    expect(suggestUnits(rowsOf([noisy, memory]), texts, 'span').every((s) => s.score === 0)).toBe(true);
  });

  it('leaves out tokens without a trace and returns nothing when no token has one', () => {
    const rows = rowsOf([noisy, memory]).map((r, t) => (t % 2 ? r : undefined));
    expect(suggestUnits(rows, texts, 'memory', { kind: 'cell' })[0].unit).toBe(1);
    expect(suggestUnits([undefined, undefined], ['a', 'b'], 'variance')).toEqual([]);
  });
});

describe('boundarySteps', () => {
  it('marks the steps into and out of tokens holding . ! ? quotes or line breaks', () => {
    expect(boundarySteps(['a', 'b', '.', 'c', 'd', '\n', 'e'])).toEqual([false, false, true, true, false, true, true]);
  });
});

describe('stepSuggestion', () => {
  const ranked = [{ unit: 7, score: 3 }, { unit: 2, score: 2 }, { unit: 5, score: 1 }];
  it('starts at the best unit, steps both ways and wraps round', () => {
    expect(stepSuggestion(ranked, undefined, 1)).toBe(7);
    expect(stepSuggestion(ranked, undefined, -1)).toBe(7);
    expect(stepSuggestion(ranked, 7, 1)).toBe(2);
    expect(stepSuggestion(ranked, 5, 1)).toBe(7);
    expect(stepSuggestion(ranked, 7, -1)).toBe(5);
    expect(stepSuggestion([], 3, 1)).toBeUndefined();
  });
});
