// The prompt line's editing, as pure functions on (text, cursor): the keys a shell's line editor has
// (arrows, Home/End, Ctrl-A/E/U/K/W, Delete) and a history recalled with ↑/↓. Positions count code
// points, so an accented letter or an emoji is one step.

export interface LineState {
  text: string;
  /** Code points before the cursor, 0..length. */
  cursor: number;
}

export type EditOp =
  | { insert: string }
  | 'backspace'
  | 'delete'
  | 'clear'
  | 'kill-end'
  | 'kill-word'
  | 'left'
  | 'right'
  | 'word-left'
  | 'word-right'
  | 'home'
  | 'end';

export function applyEdit(s: LineState, op: EditOp): LineState {
  const chars = [...s.text];
  const at = Math.min(Math.max(0, s.cursor), chars.length);
  const join = (xs: string[], cursor: number): LineState => ({ text: xs.join(''), cursor });
  if (typeof op === 'object') {
    const ins = [...op.insert];
    return join([...chars.slice(0, at), ...ins, ...chars.slice(at)], at + ins.length);
  }
  switch (op) {
    case 'backspace':
      return at === 0 ? s : join([...chars.slice(0, at - 1), ...chars.slice(at)], at - 1);
    case 'delete':
      return at === chars.length ? s : join([...chars.slice(0, at), ...chars.slice(at + 1)], at);
    case 'clear':
      return { text: '', cursor: 0 };
    case 'kill-end':
      return join(chars.slice(0, at), at);
    case 'kill-word': {
      const from = wordStart(chars, at);
      return join([...chars.slice(0, from), ...chars.slice(at)], from);
    }
    case 'left':
      return { ...s, cursor: Math.max(0, at - 1) };
    case 'right':
      return { ...s, cursor: Math.min(chars.length, at + 1) };
    case 'word-left':
      return { ...s, cursor: wordStart(chars, at) };
    case 'word-right': {
      let i = at;
      while (i < chars.length && chars[i] === ' ') i++;
      while (i < chars.length && chars[i] !== ' ') i++;
      return { ...s, cursor: i };
    }
    case 'home':
      return { ...s, cursor: 0 };
    case 'end':
      return { ...s, cursor: chars.length };
  }
}

/** Start of the word before `at` (spaces before the cursor are skipped first, as in a shell). */
function wordStart(chars: string[], at: number): number {
  let i = at;
  while (i > 0 && chars[i - 1] === ' ') i--;
  while (i > 0 && chars[i - 1] !== ' ') i--;
  return i;
}

/** Most entries kept in the prompt history. */
export const HISTORY_LIMIT = 50;

/** The history with `text` added as the newest entry (blank and repeated entries are not stored twice). */
export function remember(history: string[], text: string): string[] {
  if (!text.trim()) return history;
  return [...history.filter((h) => h !== text), text].slice(-HISTORY_LIMIT);
}
