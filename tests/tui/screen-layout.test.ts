import { describe, expect, test } from 'vitest';
import { eraseOldFrame } from '../../src/tui/screen-stream.ts';
import { frameBudget, inputRows, promptRowLimit, READING_WIDTH, readingWidth, scrolled, scrollWindow, wrapSpans } from '../../src/tui/screen-layout.ts';

const rowText = (row: Array<{ text: string }>) => row.map((p) => p.text).join('');

describe('frame budget', () => {
  test('the parts and the main area never add up to more than rows - 1, whatever the sizes', () => {
    for (let rows = 4; rows <= 80; rows++) {
      for (const parts of [
        { header: 2, prompt: 1, path: 0, status: 1, hints: 3 },
        { header: 4, prompt: promptRowLimit(rows), path: 2, status: 3, hints: 4 },
      ]) {
        const b = frameBudget(rows, parts);
        const total = parts.header + parts.prompt + parts.path + parts.status + b.hints + b.main;
        if (parts.header + parts.prompt + parts.path + parts.status <= rows - 1) expect(total, `rows ${rows}`).toBe(rows - 1);
        expect(b.main).toBeGreaterThanOrEqual(0);
        expect(b.hints).toBeLessThanOrEqual(parts.hints);
      }
    }
  });

  test('on a small window the key hints give way before the main area shrinks below three rows', () => {
    expect(frameBudget(12, { header: 2, prompt: 1, path: 0, status: 1, hints: 3 })).toEqual({ main: 4, hints: 3 });
    expect(frameBudget(10, { header: 2, prompt: 1, path: 0, status: 1, hints: 3 })).toEqual({ main: 3, hints: 2 });
  });

  test('without a terminal height there is no limit', () => {
    expect(frameBudget(0, { header: 2, prompt: 1, path: 0, status: 1, hints: 3 }).main).toBe(Number.POSITIVE_INFINITY);
  });

  test('the editing prompt may take more rows on a taller window, at least one', () => {
    expect(promptRowLimit(10)).toBe(1);
    expect(promptRowLimit(24)).toBe(4);
    expect(promptRowLimit(60)).toBe(6);
  });
});

describe('wrapping', () => {
  test('styled spans wrap at spaces, keep their style, and no row starts with a space', () => {
    const rows = wrapSpans([{ text: 'The story so far', bold: true }, { text: ' and the rest of the line goes on', color: 'red' }], 12);
    for (const r of rows) {
      expect(rowText(r).length).toBeLessThanOrEqual(12);
      expect(rowText(r).startsWith(' ')).toBe(false);
    }
    expect(rows[0][0]).toMatchObject({ bold: true });
    expect(rows.at(-1)!.at(-1)).toMatchObject({ color: 'red' });
  });

  test('the reading width is capped near 100 columns', () => {
    expect(readingWidth(200)).toBe(READING_WIDTH);
    expect(readingWidth(80)).toBe(80);
  });
});

describe('input rows', () => {
  const long = 'the fox ran to the woods and '.repeat(70);

  test('a 2,000-character prompt being edited shows at most maxRows rows, none wider than the width', () => {
    const rows = inputRows('prompt › ', long, [...long].length, 80, 3);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect([...rowText(r)].length).toBeLessThanOrEqual(80);
    // The cursor is at the end, so the last rows show, with "…" for the rows above.
    expect(rows.at(-1)!.some((p) => p.part === 'cursor')).toBe(true);
    expect(rows[0][0]).toEqual({ text: '…', part: 'more' });
  });

  test('the rows shown follow the cursor', () => {
    const rows = inputRows('prompt › ', long, 5, 80, 3);
    expect(rows[0][0]).toEqual({ text: 'prompt › ', part: 'label' });
    expect(rows.flat().some((p) => p.part === 'cursor')).toBe(true);
    expect(rows.at(-1)!.at(-1)).toEqual({ text: '…', part: 'more' });
  });

  test('unfocused, the prompt is one row cut with "…"', () => {
    const rows = inputRows('prompt (p to edit) ', long, undefined, 60, 1);
    expect(rows).toHaveLength(1);
    expect(rowText(rows[0])).toHaveLength(60);
    expect(rowText(rows[0]).endsWith('…')).toBe(true);
  });
});

describe('scrolling', () => {
  test('null follows the end; a position is kept and clamped', () => {
    expect(scrollWindow(100, 10, null)).toEqual({ start: 90, end: 100 });
    expect(scrollWindow(100, 10, 5)).toEqual({ start: 5, end: 15 });
    expect(scrollWindow(100, 10, 500)).toEqual({ start: 90, end: 100 });
    expect(scrollWindow(8, 10, 3)).toEqual({ start: 0, end: 8 });
  });

  test('scrolling up leaves the end, scrolling back down to it follows again', () => {
    const up = scrolled(100, 10, null, -9);
    expect(up).toBe(81);
    expect(scrolled(100, 10, up, 3)).toBe(84);
    expect(scrolled(100, 10, up, 9)).toBeNull();
    expect(scrolled(100, 10, 2, -5)).toBe(0);
  });
});

describe('redraw after a resize', () => {
  const count = (s: string, code: string) => s.split(code).length - 1;

  test('after a shrink every visible line is blanked and the frame starts at the top', () => {
    const seq = eraseOldFrame(40, 24);
    expect(count(seq, '\x1b[2K')).toBe(24);
    expect(seq.endsWith('\x1b[H')).toBe(true);
  });

  test('after a growth only the old frame, above the cursor, is blanked', () => {
    const seq = eraseOldFrame(24, 60);
    expect(count(seq, '\x1b[2K')).toBe(24);
    expect(count(seq, '\x1b[1A')).toBe(23);
    expect(seq).not.toContain('\x1b[H');
  });
});
