import { describe, expect, it } from 'vitest';
import {
  MISSING_RGB,
  cellRgb,
  digitShade,
  discordAnsi,
  discordLegend,
  gateRgb,
  luminance,
  scaleWords,
  shadeChar,
} from '../../src/render/colors.ts';

const steps = (lo: number, hi: number, n: number) => Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);

describe('gate colour scale', () => {
  it('is dark at 0 (forgetting) and bright yellow at 1 (remembering)', () => {
    const [r0, g0, b0] = gateRgb(0);
    const [r1, g1, b1] = gateRgb(1);
    expect(luminance([r0, g0, b0])).toBeLessThan(0.05);
    expect(b0).toBeGreaterThan(r0); // purple-blue, not black
    expect(Math.min(r1, g1)).toBeGreaterThan(200);
    expect(b1).toBeLessThan(80);
  });

  it('gets lighter monotonically from 0 to 1', () => {
    const lum = steps(0, 1, 200).map((v) => luminance(gateRgb(v)));
    for (let i = 1; i < lum.length; i++) expect(lum[i]!).toBeGreaterThanOrEqual(lum[i - 1]!);
    expect(lum.at(-1)! - lum[0]!).toBeGreaterThan(0.6);
  });

  it('clamps values outside [0, 1] to the end colours', () => {
    expect(gateRgb(-3)).toEqual(gateRgb(0));
    expect(gateRgb(7)).toEqual(gateRgb(1));
  });

  it('shows NaN as a neutral grey', () => {
    expect(gateRgb(Number.NaN)).toEqual(MISSING_RGB);
    expect(cellRgb(Number.NaN)).toEqual(MISSING_RGB);
  });
});

describe('cell colour scale', () => {
  it('is blue at -1, red at +1 and nearly neutral at 0', () => {
    const neg = cellRgb(-1);
    const pos = cellRgb(1);
    const mid = cellRgb(0);
    expect(neg[2]).toBeGreaterThan(neg[0] + 80);
    expect(pos[0]).toBeGreaterThan(pos[2] + 80);
    expect(Math.max(...mid) - Math.min(...mid)).toBeLessThan(20);
  });

  it('moves further from neutral as |v| grows, on both sides', () => {
    const dist = (v: number) => {
      const c = cellRgb(v);
      const m = cellRgb(0);
      return Math.hypot(c[0] - m[0], c[1] - m[1], c[2] - m[2]);
    };
    for (const sign of [-1, 1]) {
      const d = steps(0, 1, 50).map((a) => dist(sign * a));
      for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThanOrEqual(d[i - 1]!);
    }
  });
});

describe('shades without colour', () => {
  it('shadeChar runs from blank to full block in five levels', () => {
    const chars = steps(0, 1, 100).map((v) => shadeChar(v));
    expect(chars[0]).toBe(' ');
    expect(chars.at(-1)).toBe('█');
    expect(new Set(chars)).toEqual(new Set([' ', '░', '▒', '▓', '█']));
    const order = ' ░▒▓█';
    for (let i = 1; i < chars.length; i++) expect(order.indexOf(chars[i]!)).toBeGreaterThanOrEqual(order.indexOf(chars[i - 1]!));
  });

  it('shadeChar spreads cell states from -1 (blank) to +1 (full block)', () => {
    expect(shadeChar(-1, 'cell')).toBe(' ');
    expect(shadeChar(0, 'cell')).toBe('▒');
    expect(shadeChar(1, 'cell')).toBe('█');
  });

  it('digitShade gives the first decimal digit of a gate value, 1 → 9', () => {
    expect(digitShade(0)).toBe('0');
    expect(digitShade(0.75)).toBe('7');
    expect(digitShade(0.999)).toBe('9');
    expect(digitShade(1)).toBe('9');
  });

  it('marks NaN with "?"', () => {
    expect(shadeChar(Number.NaN)).toBe('?');
    expect(digitShade(Number.NaN)).toBe('?');
  });
});

describe('Discord ANSI colours', () => {
  it('uses only the eight foreground codes Discord renders', () => {
    for (const kind of ['gate', 'cell'] as const) {
      for (const v of steps(-1.5, 1.5, 60)) {
        const code = discordAnsi(v, kind);
        expect(code).toBeGreaterThanOrEqual(30);
        expect(code).toBeLessThanOrEqual(37);
      }
    }
  });

  it('goes pink → blue → cyan → green → yellow for gates, like the picture scale', () => {
    expect(discordLegend('forget').map((b) => b.symbol)).toEqual([35, 34, 36, 32, 33]);
    expect(discordAnsi(0, 'forget')).toBe(35);
    expect(discordAnsi(1, 'forget')).toBe(33);
  });

  it('goes blue → cyan → white → yellow → red for cell states', () => {
    expect(discordLegend('cell').map((b) => b.symbol)).toEqual([34, 36, 37, 33, 31]);
    expect(discordAnsi(0, 'cell')).toBe(37);
  });

  it('agrees with its legend: each value gets the code of the bucket holding it', () => {
    for (const kind of ['gate', 'cell'] as const) {
      const legend = discordLegend(kind);
      for (const v of steps(legend[0]!.from, legend.at(-1)!.to, 97)) {
        const bucket = legend.find((b, i) => v >= b.from && (v < b.to || i === legend.length - 1))!;
        expect(discordAnsi(v, kind)).toBe(bucket.symbol);
      }
    }
  });
});

describe('legends', () => {
  it('cover the scale with contiguous buckets', () => {
    for (const [legend, lo, hi] of [
      [discordLegend('gate'), 0, 1],
      [discordLegend('cell'), -1, 1],
    ] as const) {
      expect(legend[0]!.from).toBe(lo);
      expect(legend.at(-1)!.to).toBe(hi);
      for (let i = 1; i < legend.length; i++) expect(legend[i]!.from).toBe(legend[i - 1]!.to);
    }
  });

  it('names the ends of the forget scale forgetting and remembering', () => {
    expect(scaleWords('forget')).toEqual({ low: 'forgetting', high: 'remembering' });
    expect(scaleWords('cell')).toEqual({ low: 'negative', high: 'positive' });
  });
});
