// Which units are worth colouring the story by. A layer has 64-512 units; these rules rank them so a key can
// step through the interesting ones, like LSTMVis's pattern search and johndah's suggested neurons.
//
// rows: tokens × units of one layer and kind; texts: the tokens' text (for sentence and quote boundaries).
//
// memory   holds a value and rewrites it in a few jumps: the share of the unit's total change that happens
//          in its largest tenth of steps. A memory cell (unit 24 of long-dep-lstm, which keeps the country
//          across hundreds of characters) scores near the top; a counter that moves every step scores low.
// variance largest variance over the story.
// boundary moves more at sentence, quote and line boundaries than elsewhere (mean |Δ| at boundary steps minus
//          mean |Δ| at other steps, in units of the unit's 5th–95th percentile range).
// span     best separates a marked span from the rest of the story: |mean inside − mean outside| over the
//          pooled standard deviation (Cohen's d), as LSTMVis does for a brushed range.
// memory and boundary weigh down units whose 5th–95th percentile range is under 0.1 (gates) or 0.5 (cell
// state): a nearly constant unit has its few wiggles in few places without holding anything.

import type { GateKind } from '../generation/events.ts';
import { quantile } from './gate-scale.ts';
import type { Rows } from './gate-focus.ts';

export type SuggestRule = 'memory' | 'variance' | 'boundary' | 'span';
export const SUGGEST_RULES: readonly SuggestRule[] = ['memory', 'variance', 'boundary', 'span'];

export const RULE_TEXT: Record<SuggestRule, string> = {
  memory: 'holds a value and changes it in a few jumps (memory cells)',
  variance: 'varies most over the story',
  boundary: 'changes most at sentence, quote and line boundaries',
  span: 'best separates the marked span from the rest',
};

export interface Suggestion {
  unit: number;
  score: number;
}

/** Token indices from … to, inclusive, in either order. */
export interface Span {
  from: number;
  to: number;
}

/** The share of all steps that count as "a few jumps" in the memory rule. */
export const JUMP_SHARE = 0.1;
/** Below this range a unit's memory and boundary scores are scaled down in proportion. */
export const RANGE_FLOOR = { gate: 0.1, cell: 0.5 } as const;
const BOUNDARY = /[.!?"\n\u201C\u201D]/;

/** Whether the step into token t crosses a sentence, quote or line boundary (token t-1 or t holds one). */
export function boundarySteps(texts: readonly string[]): boolean[] {
  const has = texts.map((t) => BOUNDARY.test(t));
  return texts.map((_, t) => t > 0 && (has[t] || has[t - 1]));
}

/** Columns of the traced rows: unit u's values over the tokens that have a trace, and which tokens those are. */
function columns(rows: Rows): { cols: Float64Array[]; at: number[] } {
  const at: number[] = [];
  rows.forEach((r, t) => {
    if (r && r.length > 0) at.push(t);
  });
  const units = at.length ? rows[at[0]]!.length : 0;
  const cols = Array.from({ length: units }, (_, u) => Float64Array.from(at, (t) => rows[t]![u]));
  return { cols, at };
}

function robustRange(col: Float64Array): number {
  const s = Float64Array.from(col).sort();
  return quantile(s, 0.95) - quantile(s, 0.05);
}

function variance(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  const n = to - from;
  if (n <= 0) return 0;
  let m = 0;
  for (let i = from; i < to; i++) m += xs[i];
  m /= n;
  let v = 0;
  for (let i = from; i < to; i++) v += (xs[i] - m) ** 2;
  return v / n;
}

/** Weight in [0, 1]: 1 once the unit's range reaches the floor. */
function rangeWeights(cols: Float64Array[], kind: GateKind): number[] {
  const floor = kind === 'cell' ? RANGE_FLOOR.cell : RANGE_FLOOR.gate;
  return cols.map((c) => Math.min(1, robustRange(c) / floor));
}

function memoryScore(col: Float64Array): number {
  if (col.length < 3) return 0;
  const steps = new Float64Array(col.length - 1);
  for (let t = 1; t < col.length; t++) steps[t - 1] = Math.abs(col[t] - col[t - 1]);
  steps.sort();
  let total = 0;
  for (const d of steps) total += d;
  if (total === 0) return 0;
  const k = Math.max(1, Math.ceil(steps.length * JUMP_SHARE));
  let top = 0;
  for (let i = steps.length - k; i < steps.length; i++) top += steps[i];
  return top / total;
}

function boundaryScore(col: Float64Array, boundary: boolean[]): number {
  let bs = 0;
  let bn = 0;
  let es = 0;
  let en = 0;
  for (let t = 1; t < col.length; t++) {
    const d = Math.abs(col[t] - col[t - 1]);
    if (boundary[t]) {
      bs += d;
      bn++;
    } else {
      es += d;
      en++;
    }
  }
  const range = robustRange(col);
  if (bn === 0 || en === 0 || range <= 0) return 0;
  return (bs / bn - es / en) / range;
}

function spanScore(col: Float64Array, inside: boolean[]): number {
  const a: number[] = [];
  const b: number[] = [];
  col.forEach((v, i) => (inside[i] ? a : b).push(v));
  if (a.length === 0 || b.length === 0) return 0;
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  const pooled = Math.sqrt((variance(a) + variance(b)) / 2);
  return Math.abs(ma - mb) / (pooled + 1e-9);
}

export interface SuggestOptions {
  /** What the rows hold (default forget): sets the range floor. */
  kind?: GateKind;
  /** The marked span, for the span rule. */
  span?: Span;
}

/**
 * Units ranked by a rule, best first (ties by unit number). Tokens without a trace are left out. The span
 * rule needs a span; without one (or with nothing outside it) every unit scores 0.
 */
export function suggestUnits(rows: Rows, texts: readonly string[], rule: SuggestRule, opts: SuggestOptions = {}): Suggestion[] {
  const { kind = 'forget', span } = opts;
  const { cols, at } = columns(rows);
  if (cols.length === 0) return [];
  let scores: number[];
  switch (rule) {
    case 'variance':
      scores = cols.map((c) => variance(c));
      break;
    case 'memory': {
      const w = rangeWeights(cols, kind);
      scores = cols.map((c, u) => memoryScore(c) * w[u]);
      break;
    }
    case 'boundary': {
      const all = boundarySteps(texts);
      // Steps between traced tokens: a boundary when the step in the full story was one.
      const b = at.map((t, i) => i > 0 && (all[t] ?? false));
      const w = rangeWeights(cols, kind);
      scores = cols.map((c, u) => boundaryScore(c, b) * w[u]);
      break;
    }
    case 'span': {
      const lo = span ? Math.min(span.from, span.to) : 0;
      const hi = span ? Math.max(span.from, span.to) : -1;
      const inside = at.map((t) => t >= lo && t <= hi);
      scores = cols.map((c) => spanScore(c, inside));
      break;
    }
  }
  return scores
    .map((score, unit) => ({ unit, score: Number.isFinite(score) ? score : 0 }))
    .sort((x, y) => y.score - x.score || x.unit - y.unit);
}

/** The suggestion after (dir 1) or before (dir -1) `unit` in the ranking (wrapping round); from no unit, the first. */
export function stepSuggestion(ranked: readonly Suggestion[], unit: number | undefined, dir: 1 | -1): number | undefined {
  if (ranked.length === 0) return undefined;
  const i = unit === undefined ? -1 : ranked.findIndex((s) => s.unit === unit);
  if (i < 0) return ranked[0].unit;
  return ranked[(i + dir + ranked.length) % ranked.length].unit;
}
