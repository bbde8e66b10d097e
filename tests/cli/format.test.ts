import { describe, expect, it } from 'vitest';
import { renderProgressLine } from '../../src/cli/progress.ts';
import { compactNumber, duration, filledCells, textTable } from '../../src/format.ts';

describe('shared number formatters', () => {
  it('shortens counts to k, M and G', () => {
    expect([999, 1234, 12_345, 123_456, 3_400_000, 2e9].map(compactNumber)).toEqual(['999', '1.2k', '12.3k', '123k', '3.4M', '2G']);
  });

  it('writes seconds as s, m and h, and "?" when unknown', () => {
    expect([45, 200, 3900, Infinity, -1].map(duration)).toEqual(['45s', '3m20s', '1h05m', '?', '?']);
  });

  it('fills a bar in proportion, clamped to its width', () => {
    expect([0, 0.5, 1, 2, NaN].map((f) => filledCells(f, 10))).toEqual([0, 5, 10, 10, 0]);
  });

  it('pads table columns to the widest cell, the first left-aligned, with no trailing spaces', () => {
    expect(textTable([['a', 'bb', ''], ['ccc', 'd', 'e']])).toBe('a    bb\nccc   d  e');
  });

  it('the terminal progress line uses them', () => {
    const line = renderProgressLine({ type: 'step', step: 5, maxSteps: 10, loss: 1.5, charsPerSec: 1000, etaSec: 200 } as never, undefined, 200);
    expect(line).toMatch(/^\[#+\.+\] 5\/10 loss 1\.500 1,000 chars\/s eta 3m20s$/);
    expect(line.slice(0, 42)).toBe(`[${'#'.repeat(20)}${'.'.repeat(20)}]`);
  });
});
