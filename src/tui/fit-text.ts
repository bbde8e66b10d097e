// Fits the demos' plain-text reports (src/demos/format.ts) to a terminal width. Prose lines wrap at
// spaces. Tables must not wrap (a wrapped row no longer lines up with its header), so a table wider than
// the terminal is folded instead: the first column, then as many further columns as fit, and the
// remaining columns in another block below with the first column repeated.
import { textTable } from '../format.ts';

/** Cells of a table row: textTable (src/format.ts) pads columns and joins them with two spaces. */
function cellsOf(line: string): string[] | null {
  if (!line || /^\s/.test(line)) return null;
  const cells = line.trim().split(/\s{2,}/);
  return cells.length >= 2 ? cells : null;
}

/** Lines as blocks: runs of two or more rows with the same number of cells are tables. */
function blocks(lines: string[]): Array<{ table: string[][] } | { line: string }> {
  const out: Array<{ table: string[][] } | { line: string }> = [];
  for (let i = 0; i < lines.length; ) {
    const first = cellsOf(lines[i]!);
    let j = i + 1;
    const rows = first ? [first] : [];
    while (first && j < lines.length) {
      const next = cellsOf(lines[j]!);
      if (!next || next.length !== first.length) break;
      rows.push(next);
      j++;
    }
    if (rows.length >= 2) {
      out.push({ table: rows });
      i = j;
    } else {
      out.push({ line: lines[i]! });
      i++;
    }
  }
  return out;
}

function renderTable(rows: string[][], columns: number[]): string[] {
  return textTable(rows.map((r) => columns.map((c) => r[c]!))).split('\n');
}

function foldTable(rows: string[][], width: number): string[] {
  const all = rows[0]!.map((_, c) => c);
  const whole = renderTable(rows, all);
  if (whole.every((l) => l.length <= width)) return whole;
  const w = (c: number) => Math.max(...rows.map((r) => r[c]!.length));
  const groups: number[][] = [];
  let group: number[] = [];
  let used = w(0);
  for (const c of all.slice(1)) {
    if (group.length && used + 2 + w(c) > width) {
      groups.push(group);
      group = [];
      used = w(0);
    }
    group.push(c);
    used += 2 + w(c);
  }
  groups.push(group);
  const out: string[] = [];
  groups.forEach((g, k) => {
    if (k > 0) out.push('');
    // A single column that still does not fit is cut rather than wrapped: the rows stay one line each.
    out.push(...renderTable(rows, [0, ...g]).map((l) => (l.length > width ? l.slice(0, width - 1) + '…' : l)));
  });
  return out;
}

/** Word wrap keeping the line's indent; continuation lines are indented two more spaces. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const more = indent + '  ';
  const out: string[] = [];
  let cur = '';
  const prefix = () => (out.length ? more : indent);
  for (let word of line.slice(indent.length).split(/ +/)) {
    if (cur && prefix().length + cur.length + 1 + word.length > width) {
      out.push(prefix() + cur);
      cur = '';
    }
    // A word longer than a whole line is broken where the line ends.
    while (!cur && prefix().length + word.length > width) {
      const room = Math.max(1, width - prefix().length);
      out.push(prefix() + word.slice(0, room));
      word = word.slice(room);
    }
    if (word) cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(prefix() + cur);
  return out;
}

/** The report as screen lines no wider than `width`. */
export function fitText(text: string, width: number): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  for (const b of blocks(text.split('\n'))) {
    if ('table' in b) out.push(...foldTable(b.table, w));
    else out.push(...wrapLine(b.line, w));
  }
  return out;
}
