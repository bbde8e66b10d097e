// The story screen's height budget, as pure functions. Ink redraws a frame by erasing the lines it wrote
// last; a frame taller than the window scrolls its top into the scrollback where it can no longer be
// erased, and Ink then clears the whole terminal (scrollback included) on every update. So every part of
// the frame is wrapped here, to the width it is drawn at, and counted; the story gets what is left.
import { layoutTokens, type Row } from './token-layout.ts';

/** Story text is wrapped at most this wide: longer lines are hard to read. */
export const READING_WIDTH = 100;

/** Width the story text is wrapped to on a terminal `columns` wide. */
export function readingWidth(columns: number): number {
  return Math.max(1, Math.min(columns, READING_WIDTH));
}

/**
 * Word-wraps styled segments (segment i keeps index i in the rows, so each part keeps its colour) into
 * rows of at most `width` columns; a row never starts with the space it broke at.
 */
export function wrapSegments(segments: string[], width: number): Row[] {
  const rows = layoutTokens(
    segments.map((text, index) => ({ index, text })),
    width,
  );
  return rows.length === 0 ? [[]] : rows;
}

/** One input line (label, text, cursor cell) hard-wrapped into rows; `cursor` marks the cursor cell. */
export interface InputPiece {
  text: string;
  part: 'label' | 'text' | 'cursor' | 'more';
}

/**
 * The prompt (or model path) input as at most `maxRows` rows of `width` columns. A long text shows the
 * rows around the cursor, with "…" where rows are hidden; unfocused, it is one row cut with "…".
 */
export function inputRows(label: string, text: string, cursor: number | undefined, width: number, maxRows: number): InputPiece[][] {
  const w = Math.max(2, width);
  const cells: InputPiece[] = [...label].map((ch) => ({ text: ch, part: 'label' as const }));
  const chars = [...text.replace(/[\x00-\x1f\x7f]/g, ' ')];
  chars.forEach((ch, i) => cells.push({ text: ch, part: i === cursor ? 'cursor' : 'text' }));
  if (cursor !== undefined && cursor >= chars.length) cells.push({ text: ' ', part: 'cursor' });
  const rows: InputPiece[][] = [];
  for (let i = 0; i < cells.length; i += w) rows.push(cells.slice(i, i + w));
  if (rows.length === 0) rows.push([]);
  const limit = Math.max(1, maxRows);
  if (rows.length <= limit) return rows.map(merge);
  const cursorRow = cursor === undefined ? 0 : Math.floor(cells.findIndex((c) => c.part === 'cursor') / w);
  const end = Math.min(rows.length, Math.max(limit, cursorRow + 1));
  const shown = rows.slice(end - limit, end).map((r) => [...r]);
  const more: InputPiece = { text: '…', part: 'more' };
  if (end - limit > 0 && shown[0][0]?.part !== 'cursor') shown[0][0] = more;
  const last = shown[shown.length - 1];
  if (end < rows.length && last[last.length - 1]?.part !== 'cursor') last[last.length - 1] = more;
  return shown.map(merge);
}

function merge(row: InputPiece[]): InputPiece[] {
  const out: InputPiece[] = [];
  for (const p of row) {
    const last = out[out.length - 1];
    if (last && last.part === p.part) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** Rows the prompt input may take while it is being edited, on a window `rows` high. */
export function promptRowLimit(rows: number): number {
  if (rows <= 0) return 6;
  return Math.max(1, Math.min(6, Math.floor((rows - 8) / 4)));
}

export interface FrameParts {
  header: number;
  prompt: number;
  /** The model-path input, 0 when closed. */
  path: number;
  status: number;
  hints: number;
}

/**
 * Rows left for the main area (story, gate view or help) in a window `rows` high, after the other parts.
 * The frame is `rows - 1` lines: the line under it holds the cursor, so a full frame never scrolls. On a
 * window too small for everything the key hints go first, then the rest is cut to fit (never taller).
 * rows 0 (not a terminal) means no limit.
 */
export function frameBudget(rows: number, parts: FrameParts): { main: number; hints: number } {
  if (rows <= 0) return { main: Number.POSITIVE_INFINITY, hints: parts.hints };
  const frame = rows - 1;
  const others = parts.header + parts.prompt + parts.path + parts.status;
  const MIN_MAIN = 3;
  const hints = frame - others - parts.hints >= MIN_MAIN ? parts.hints : Math.max(0, Math.min(parts.hints, frame - others - MIN_MAIN));
  return { main: Math.max(0, frame - others - hints), hints };
}

/** First and last (exclusive) row shown when `visible` of `total` rows fit; top null follows the end. */
export function scrollWindow(total: number, visible: number, top: number | null): { start: number; end: number } {
  if (visible <= 0 || !Number.isFinite(visible) || total <= visible) return { start: 0, end: total };
  const maxTop = total - visible;
  const start = top === null ? maxTop : Math.max(0, Math.min(top, maxTop));
  return { start, end: start + visible };
}

/** The scroll position after moving by `delta` rows from the window shown; reaching the end follows it again. */
export function scrolled(total: number, visible: number, top: number | null, delta: number): number | null {
  const { start } = scrollWindow(total, visible, top);
  const maxTop = Math.max(0, total - visible);
  const next = Math.max(0, start + delta);
  return next >= maxTop ? null : next;
}

/** A run of text with one style; colours are Ink names or hex, already off when colour is off. */
export interface Span {
  text: string;
  bold?: boolean;
  dim?: boolean;
  color?: string;
}

/** Word-wraps styled spans to rows of at most `width` columns. */
export function wrapSpans(spans: Span[], width: number): Span[][] {
  return wrapSegments(
    spans.map((s) => s.text),
    width,
  ).map((row) => row.map((p) => ({ ...spans[p.index], text: p.text })));
}
