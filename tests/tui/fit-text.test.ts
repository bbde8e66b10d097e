// Fitting the demos' text reports to the terminal: prose wraps, tables fold instead of wrapping.
import { describe, expect, test } from 'vitest';
import { formatArithmetic, formatBucketTable, formatPrices } from '../../src/demos/format.ts';
import { arithmeticDemo } from '../../src/demos/gradients.ts';
import type { BucketResult } from '../../src/demos/long-dependency.ts';
import { pricesDemo } from '../../src/demos/prices.ts';
import { fitText, wrapLine } from '../../src/tui/fit-text.ts';

const widest = (lines: string[]) => Math.max(...lines.map((l) => [...l].length));
const words = (s: string) => s.split(/\s+/).filter(Boolean);

function buckets(): BucketResult[] {
  const out: BucketResult[] = [];
  for (const cell of ['lstm', 'gru', 'rnn'])
    for (const [gapMin, gapMax] of [[10, 49], [50, 99], [100, 199], [200, 299], [300, 360]])
      out.push({ cell, gapMin, gapMax, n: 40, accuracy: (gapMin % 7) / 7, meanProb: gapMax / 400, languages: 24 });
  return out;
}

describe('fitting reports to the terminal width', () => {
  test('text that fits is left exactly as it is', () => {
    const text = formatPrices(pricesDemo({ steps: 5 }));
    expect(fitText(text, 200).join('\n')).toBe(text);
  });

  test('no line of any demo report is wider than 60 columns after fitting', () => {
    for (const text of [formatBucketTable(buckets()), formatPrices(pricesDemo({ steps: 5 })), formatArithmetic(arithmeticDemo())]) {
      expect(widest(fitText(text, 60))).toBeLessThanOrEqual(60);
    }
  });

  test('a wide table is folded: every cell survives and each block repeats the first column', () => {
    const text = formatBucketTable(buckets());
    const table = text.split('\n').slice(0, 6);
    expect(widest(table)).toBeGreaterThan(60);
    const fitted = fitText(table.join('\n'), 60);
    expect(words(fitted.join(' ')).sort()).toEqual(
      [...words(table.join(' ')), ...words(table.map((l) => l.split(/\s{2,}/)[0]).join(' '))].sort(),
    );
    const headers = fitted.filter((l) => l.startsWith('gap (chars)'));
    expect(headers.length).toBeGreaterThan(1);
  });

  test('folded columns stay aligned under their headers', () => {
    const fitted = fitText(formatBucketTable(buckets()).split('\n').slice(0, 6).join('\n'), 60);
    const block = fitted.slice(0, fitted.indexOf(''));
    const ends = (l: string) => [...l.matchAll(/\S+(?=\s{2,}|$)/g)].map((m) => m.index! + m[0].length);
    const headerEnds = ends(block[0]!).slice(-2);
    for (const row of block.slice(1)) expect(ends(row).slice(-2)).toEqual(headerEnds);
  });

  test('prose wraps at spaces, keeps its indent and indents continuation lines', () => {
    const line = '  w = 2: h0 = 1e-20, h50 = 1.13e-5, d(h50)/d(h0) = 1.13e+15   (w^50 = 1.13e+15)';
    const wrapped = wrapLine(line, 40);
    expect(widest(wrapped)).toBeLessThanOrEqual(40);
    expect(wrapped[0]!.startsWith('  w = 2:')).toBe(true);
    for (const l of wrapped.slice(1)) expect(l.startsWith('    ')).toBe(true);
    expect(words(wrapped.join(' '))).toEqual(words(line));
  });

  test('a word longer than the line is broken rather than overflowing', () => {
    const wrapped = wrapLine('x'.repeat(25), 10);
    expect(widest(wrapped)).toBeLessThanOrEqual(10);
    expect(wrapped.join('').replace(/ /g, '')).toBe('x'.repeat(25));
  });
});
