import { describe, expect, test } from 'vitest';
import { brailleChart, resample, sparkline } from '../../src/tui/line-chart.ts';

describe('text charts', () => {
  test('a sparkline maps the lowest value to ▁ and the highest to █', () => {
    expect(sparkline([1, 5, 3], 10)).toBe('▁█▅');
  });

  test('a sparkline never exceeds its width', () => {
    expect([...sparkline(Array.from({ length: 100 }, (_, i) => i), 7)]).toHaveLength(7);
  });

  test('resampling averages the values in each bucket', () => {
    expect(resample([1, 3, 5, 7], 2)).toEqual([2, 6]);
  });

  test('a braille chart has the requested size and puts a falling line top-left to bottom-right', () => {
    const rows = brailleChart([4, 3, 2, 1, 0], 3, 2);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect([...r].length).toBeLessThanOrEqual(3);
    const blank = String.fromCharCode(0x2800);
    expect(rows[0][0]).not.toBe(blank);
    expect(rows[1][0]).toBe(blank);
    expect(rows[1][rows[1].length - 1]).not.toBe(blank);
  });
});
