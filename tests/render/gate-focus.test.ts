// What a token's colour stands for: one unit, or a summary over the layer's units.
import { describe, expect, it } from 'vitest';
import { focusLabel, focusScaleKind, focusSeries, parseFocus } from '../../src/render/gate-focus.ts';

const rows = [
  [0.2, 0.9, 0.4, 0.8],
  [0.6, 0.7, 0.1, 0.2],
  undefined,
  [0.6, 0.7, 0.1, 0.2],
];

describe('focusSeries', () => {
  it('reads one unit per token', () => {
    expect(focusSeries(rows, 'forget', { unit: 1 })).toEqual([0.9, 0.7, undefined, 0.7]);
  });

  it('averages over units for the mean', () => {
    const s = focusSeries(rows, 'forget', { summary: 'mean' });
    expect(s[0]).toBeCloseTo(0.575, 12);
    expect(s[2]).toBeUndefined();
  });

  it('counts the share of gates below 0.5, and of cell states beyond ±1', () => {
    expect(focusSeries(rows, 'forget', { summary: 'share' })).toEqual([0.5, 0.5, undefined, 0.5]);
    expect(focusSeries([[-2, 0.5, 1.5, 1]], 'cell', { summary: 'share' })).toEqual([0.5]);
  });

  it('measures the mean absolute change from the previous token (none for the first, or after a gap)', () => {
    const s = focusSeries(rows, 'input', { summary: 'change' });
    expect(s[0]).toBeUndefined();
    expect(s[1]).toBeCloseTo((0.4 + 0.2 + 0.3 + 0.6) / 4, 12);
    expect(s[3]).toBeUndefined();
  });
});

describe('labels and parsing', () => {
  it('names the focus the way the legend prints it', () => {
    expect(focusLabel('cell', { unit: 24 })).toBe('unit 24 cell state');
    expect(focusLabel('forget', { summary: 'share' })).toBe('share of units forgetting (f < 0.5)');
    expect(focusLabel('forget', { summary: 'mean' })).toBe('mean forget gate');
  });

  it('puts share and change on a 0–1 scale of their own, units and means on the kind’s', () => {
    expect(focusScaleKind('cell', { summary: 'share' })).toBe('gate');
    expect(focusScaleKind('cell', { summary: 'mean' })).toBe('cell');
    expect(focusScaleKind('cell', { unit: 3 })).toBe('cell');
  });

  it('parses summaries and unit numbers, with a clear message otherwise', () => {
    expect(parseFocus('Share')).toEqual({ summary: 'share' });
    expect(parseFocus('24', 64)).toEqual({ unit: 24 });
    expect(parseFocus('64', 64)).toBe('unit must be 0 to 63 (got 64)');
    expect(parseFocus('memory')).toMatch(/expected a unit number or one of mean, share, change/);
  });
});
