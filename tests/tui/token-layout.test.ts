import { describe, expect, test } from 'vitest';
import { layoutTokens, rowOfToken, visibleRows, type Piece } from '../../src/tui/token-layout.ts';

const chars = (text: string, from = 0): Piece[] => [...text].map((ch, i) => ({ index: from + i, text: ch }));
const rowText = (rows: Piece[][]) => rows.map((r) => r.map((p) => p.text).join(''));

describe('token layout', () => {
  test('no row is wider than the width', () => {
    const rows = layoutTokens(chars('See Spot run. Run, Spot, run! Jane saw Doug and Doug saw Jane.'), 12);
    for (const r of rowText(rows)) expect(r.length).toBeLessThanOrEqual(12);
  });

  test('words are not split when they fit on a row', () => {
    // The space stays at the end of its row: in a character model it is a token with gates of its own.
    expect(rowText(layoutTokens(chars('See Spot run'), 9))).toEqual(['See Spot ', 'run']);
  });

  test('a word longer than a row is split', () => {
    expect(rowText(layoutTokens(chars('abcdefgh'), 3))).toEqual(['abc', 'def', 'gh']);
  });

  test('a newline starts a new row', () => {
    expect(rowText(layoutTokens(chars('ab\ncd'), 10))).toEqual(['ab', 'cd']);
  });

  test('pieces keep the index of the token they came from, the prompt as -1', () => {
    const rows = layoutTokens([{ index: -1, text: 'Go ' }, { index: 0, text: 'home' }], 20);
    expect(rows[0]).toEqual([{ index: -1, text: 'Go ' }, { index: 0, text: 'home' }]);
  });

  test('rowOfToken finds the row holding a token', () => {
    const rows = layoutTokens(chars('aaa bbb ccc'), 4);
    expect(rowOfToken(rows, 9)).toBe(2);
  });

  test('visibleRows shows the tail when following and the focus row when it is above', () => {
    const rows = layoutTokens(chars('a b c d e f g h i j'), 1);
    expect(visibleRows(rows, 3)).toEqual({ start: 7, end: 10 });
    const w = visibleRows(rows, 3, 1);
    expect(1).toBeGreaterThanOrEqual(w.start);
    expect(1).toBeLessThan(w.end);
  });
});
