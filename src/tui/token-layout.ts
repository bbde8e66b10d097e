// Word-wraps a story made of tokens into rows of at most `width` columns, remembering which token each
// piece came from, so the gate view can colour tokens and place a cursor without Ink re-wrapping the text.
import { printable } from './format.ts';

export interface Piece {
  /** Index of the generated token, or -1 for the priming text. */
  index: number;
  text: string;
}
export type Row = Piece[];

export function layoutTokens(pieces: Piece[], width: number): Row[] {
  const w = Math.max(1, Math.floor(width));
  // Flatten to characters tagged with their token, then wrap words (runs of non-space characters).
  const chars: Array<{ ch: string; index: number }> = [];
  for (const p of pieces) for (const ch of printable(p.text)) chars.push({ ch, index: p.index });

  const lines: Array<Array<{ ch: string; index: number }>> = [[]];
  let i = 0;
  while (i < chars.length) {
    const line = lines[lines.length - 1];
    const c = chars[i];
    if (c.ch === '\n') {
      lines.push([]);
      i++;
      continue;
    }
    if (c.ch === ' ') {
      // A space that would overflow ends the row and is dropped, so no row starts with the break.
      if (line.length >= w) lines.push([]);
      else line.push(c);
      i++;
      continue;
    }
    let end = i;
    while (end < chars.length && chars[end].ch !== ' ' && chars[end].ch !== '\n') end++;
    const word = chars.slice(i, end);
    if (line.length + word.length <= w) {
      line.push(...word);
    } else if (word.length <= w && line.length > 0) {
      lines.push([...word]);
    } else {
      // Longer than a row: hard-split it.
      let rest = word;
      let cur = line;
      while (rest.length) {
        const room = w - cur.length;
        if (room <= 0) {
          cur = [];
          lines.push(cur);
          continue;
        }
        cur.push(...rest.slice(0, room));
        rest = rest.slice(room);
      }
    }
    i = end;
  }
  return lines.map(group);
}

function group(line: Array<{ ch: string; index: number }>): Row {
  const row: Row = [];
  for (const c of line) {
    const last = row[row.length - 1];
    if (last && last.index === c.index) last.text += c.ch;
    else row.push({ index: c.index, text: c.ch });
  }
  return row;
}

/** Row that holds token `index` (its first piece), or -1. */
export function rowOfToken(rows: Row[], index: number): number {
  return rows.findIndex((r) => r.some((p) => p.index === index));
}

/**
 * The slice of rows to show when only `maxRows` fit: the tail while following the stream, or a window
 * that keeps the cursor's row in view. maxRows <= 0 means no limit.
 */
export function visibleRows(rows: Row[], maxRows: number, focusRow?: number): { start: number; end: number } {
  if (maxRows <= 0 || rows.length <= maxRows) return { start: 0, end: rows.length };
  let end = rows.length;
  if (focusRow !== undefined && focusRow >= 0 && focusRow < end - maxRows) end = focusRow + Math.ceil(maxRows / 2);
  end = Math.min(rows.length, Math.max(end, maxRows));
  return { start: end - maxRows, end };
}
