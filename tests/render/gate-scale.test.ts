// Colour scales fitted to the values shown: percentiles or min–max, the sign of cell states kept, the legend
// buckets, and the fixed scale as before.
import { describe, expect, it } from 'vitest';
import { cellRgb, gateRgb, rgbAt } from '../../src/render/colors.ts';
import { bucketHistogram, fitScale, formatLevel, quantile, scaleBucket, scalePosition, scaleRgb, scaleShade, scaleValueAt } from '../../src/render/gate-scale.ts';

const ramp = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('fitScale', () => {
  it('fits the 5th–95th percentiles of the values by default', () => {
    const sc = fitScale(ramp(101, 0.6, 0.8), 'forget');
    expect(sc.lo).toBeCloseTo(0.61, 9);
    expect(sc.hi).toBeCloseTo(0.79, 9);
    expect(sc.mode).toBe('fit');
  });

  it('fits min–max in range mode and the absolute range in fixed mode', () => {
    expect(fitScale([0.7, 0.2, 0.5], 'input', 'range')).toMatchObject({ lo: 0.2, hi: 0.7 });
    expect(fitScale([0.7, 0.2, 0.5], 'input', 'fixed')).toMatchObject({ lo: 0, hi: 1 });
    expect(fitScale([-9, 3], 'cell', 'fixed')).toMatchObject({ lo: -1, hi: 1 });
  });

  it('ignores missing and non-finite values, and falls back to fixed with none', () => {
    expect(fitScale([undefined, NaN, 0.3, Infinity, 0.5], 'forget', 'range')).toMatchObject({ lo: 0.3, hi: 0.5 });
    expect(fitScale([undefined], 'cell')).toMatchObject({ lo: -1, hi: 1 });
  });

  it('gives a single repeated value a small window around it', () => {
    const sc = fitScale([0.5, 0.5, 0.5], 'forget');
    expect(sc.lo).toBeLessThan(0.5);
    expect(sc.hi).toBeGreaterThan(0.5);
    expect(scalePosition(0.5, sc)).toBeCloseTo(0.5, 9);
  });

  it('samples long inputs evenly, so percentiles stay close on a million values', () => {
    const sc = fitScale(ramp(1_000_001, 0, 1), 'forget');
    expect(sc.lo).toBeCloseTo(0.05, 3);
    expect(sc.hi).toBeCloseTo(0.95, 3);
  });
});

describe('scalePosition and colours', () => {
  it('stretches a gate range over the whole map, clamping outside it', () => {
    const sc = fitScale([0.6, 0.8], 'forget', 'range');
    expect(scalePosition(0.6, sc)).toBe(0);
    expect(scalePosition(0.7, sc)).toBeCloseTo(0.5, 9);
    expect(scalePosition(0.95, sc)).toBe(1);
    expect(scaleRgb(0.6, sc)).toEqual(gateRgb(0));
    expect(scaleRgb(0.8, sc)).toEqual(gateRgb(1));
  });

  it('keeps 0 grey for cell states that straddle zero, each side to its own end', () => {
    const sc = fitScale([-8, 2], 'cell', 'range');
    expect(scaleRgb(0, sc)).toEqual(cellRgb(0));
    expect(scaleRgb(-8, sc)).toEqual(cellRgb(-1));
    expect(scaleRgb(2, sc)).toEqual(cellRgb(1));
    expect(scalePosition(-4, sc)).toBeCloseTo(0.25, 9);
  });

  it('uses only the red half for an all-positive cell range and only the blue half for an all-negative one', () => {
    const pos = fitScale([1, 3], 'cell', 'range');
    expect(scalePosition(1, pos)).toBe(0.5);
    expect(scalePosition(3, pos)).toBe(1);
    const neg = fitScale([-9, -1], 'cell', 'range');
    expect(scalePosition(-9, neg)).toBe(0);
    expect(scalePosition(-1, neg)).toBe(0.5);
    expect(scaleRgb(2, pos)).toEqual(rgbAt(0.75, 'cell'));
  });

  it('inverts positions back to values for legends', () => {
    for (const sc of [fitScale([0.2, 0.9], 'forget', 'range'), fitScale([-3, 5], 'cell', 'range'), fitScale([1, 4], 'cell', 'range')]) {
      for (const v of [sc.lo, (sc.lo + sc.hi) / 2, sc.hi]) expect(scaleValueAt(scalePosition(v, sc), sc)).toBeCloseTo(v, 9);
    }
  });

  it('grey for missing values', () => {
    const sc = fitScale([0, 1], 'forget');
    expect(scaleRgb(undefined, sc)).toEqual([128, 128, 128]);
    expect(scaleBucket(NaN, sc)).toBe(-1);
    expect(scaleShade(undefined, sc)).toBe(' ');
  });
});

describe('buckets', () => {
  it('spreads values that a fixed 0–1 scale puts in two buckets over all ten', () => {
    const values = ramp(200, 0.61, 0.82);
    const fixed = bucketHistogram(values, fitScale(values, 'forget', 'fixed'));
    const fitted = bucketHistogram(values, fitScale(values, 'forget'));
    expect(fixed.filter((n) => n > 0).length).toBeLessThanOrEqual(3);
    expect(fitted.filter((n) => n >= 0.05 * values.length).length).toBe(10);
    expect(fitted.reduce((a, b) => a + b)).toBe(values.length);
  });

  it('counts the buckets of a one-sign cell range over the half of the map it uses', () => {
    const values = ramp(100, 1, 3);
    const h = bucketHistogram(values, fitScale(values, 'cell', 'range'));
    expect(h.every((n) => n === 10)).toBe(true);
  });

  it('shades five steps from blank to full block', () => {
    const sc = fitScale([0, 1], 'forget', 'range');
    expect([0, 0.3, 0.5, 0.7, 1].map((v) => scaleShade(v, sc)).join('')).toBe(' ░▒▓█');
  });
});

describe('formatLevel and quantile', () => {
  it('prints legend numbers short', () => {
    expect([0.6123, -9.87, 123.4, 0, -0.0001].map(formatLevel)).toEqual(['0.61', '-9.87', '123', '0', '0']);
  });

  it('interpolates quantiles between sorted values', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
