import { describe, expect, test } from 'vitest';
import { applyEdit, HISTORY_LIMIT, remember, type EditOp, type LineState } from '../../src/tui/line-editor.ts';

const run = (s: LineState, ...ops: EditOp[]) => ops.reduce(applyEdit, s);

describe('line editor', () => {
  test('text is inserted at the cursor, which moves past it', () => {
    expect(run({ text: 'Doug Spot', cursor: 4 }, { insert: ' saw' })).toEqual({ text: 'Doug saw Spot', cursor: 8 });
  });

  test('Backspace erases before the cursor, Delete under it, both stop at the ends', () => {
    expect(run({ text: 'abc', cursor: 1 }, 'backspace')).toEqual({ text: 'bc', cursor: 0 });
    expect(run({ text: 'abc', cursor: 0 }, 'backspace')).toEqual({ text: 'abc', cursor: 0 });
    expect(run({ text: 'abc', cursor: 1 }, 'delete')).toEqual({ text: 'ac', cursor: 1 });
    expect(run({ text: 'abc', cursor: 3 }, 'delete')).toEqual({ text: 'abc', cursor: 3 });
  });

  test('arrows, Home and End move without changing the text', () => {
    const s = { text: 'abc', cursor: 1 };
    expect(run(s, 'left', 'left', 'left').cursor).toBe(0);
    expect(run(s, 'right', 'right', 'right').cursor).toBe(3);
    expect(run(s, 'end', 'home')).toEqual({ text: 'abc', cursor: 0 });
  });

  test('word moves and Ctrl-W work on words as in a shell', () => {
    const s = { text: 'Once upon a time', cursor: 16 };
    expect(run(s, 'word-left').cursor).toBe(12);
    expect(run(s, 'word-left', 'word-left', 'word-right').cursor).toBe(11);
    expect(run(s, 'kill-word')).toEqual({ text: 'Once upon a ', cursor: 12 });
    expect(run({ text: 'Once upon a time', cursor: 4 }, 'kill-end')).toEqual({ text: 'Once', cursor: 4 });
  });

  test('an accented letter or an emoji is one step', () => {
    expect(run({ text: 'café🦊', cursor: 5 }, 'backspace', 'left', 'backspace')).toEqual({ text: 'caé', cursor: 2 });
  });

  test('the history keeps the newest last, once each, without blanks, at most HISTORY_LIMIT', () => {
    expect(remember(remember(remember([], 'a'), 'b'), 'a')).toEqual(['b', 'a']);
    expect(remember(['a'], '  ')).toEqual(['a']);
    const many = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => String(i)).reduce(remember, [] as string[]);
    expect(many).toHaveLength(HISTORY_LIMIT);
    expect(many.at(-1)).toBe(String(HISTORY_LIMIT + 4));
  });
});
