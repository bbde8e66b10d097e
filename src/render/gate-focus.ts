// What a token's colour stands for: one unit's activation, or a summary over all units of a layer. The mean
// over 256 units barely moves from token to token; the share of units below one half and the change from the
// previous token move much more, and one unit shows what that unit does.
//
// rows: tokens × units of one layer and kind (a row is undefined for a token without a trace).

import type { GateKind } from '../generation/events.ts';

/** mean: mean over units; share: share of units below 0.5 (gates) or beyond ±1 (cell); change: mean |Δ| from the previous token. */
export type SummaryKind = 'mean' | 'share' | 'change';
export const SUMMARY_KINDS: readonly SummaryKind[] = ['mean', 'share', 'change'];

/** One unit, or a summary over all units. */
export type GateFocus = { unit: number } | { summary: SummaryKind };

export type Rows = ReadonlyArray<ReadonlyArray<number> | undefined>;

/** The threshold of the share summary: a gate below it lets through less than half. */
export const SHARE_THRESHOLD = 0.5;
/** Cell states beyond ±1 are past tanh's middle, where the cell holds something strongly. */
export const CELL_SHARE_THRESHOLD = 1;

function mean(row: ReadonlyArray<number>): number {
  let s = 0;
  for (const v of row) s += v;
  return s / row.length;
}

function share(row: ReadonlyArray<number>, kind: GateKind): number {
  let n = 0;
  if (kind === 'cell') for (const v of row) n += Math.abs(v) > CELL_SHARE_THRESHOLD ? 1 : 0;
  else for (const v of row) n += v < SHARE_THRESHOLD ? 1 : 0;
  return n / row.length;
}

function change(row: ReadonlyArray<number>, prev: ReadonlyArray<number> | undefined): number | undefined {
  if (!prev || prev.length !== row.length) return undefined;
  let s = 0;
  for (let u = 0; u < row.length; u++) s += Math.abs(row[u] - prev[u]);
  return s / row.length;
}

/** One value per token for the focus; undefined where a token has no trace (or no previous token, for change). */
export function focusSeries(rows: Rows, kind: GateKind, focus: GateFocus): Array<number | undefined> {
  return rows.map((row, t) => {
    if (!row || row.length === 0) return undefined;
    if ('unit' in focus) return row[focus.unit];
    switch (focus.summary) {
      case 'mean':
        return mean(row);
      case 'share':
        return share(row, kind);
      case 'change':
        return change(row, rows[t - 1]);
    }
  });
}

const GATE_NAMES: Record<GateKind, string> = { forget: 'forget gate', input: 'input gate', output: 'output gate', cell: 'cell state' };
const LETTER: Record<GateKind, string> = { forget: 'f', input: 'i', output: 'o', cell: 'c' };
const SHARE_WORDS: Record<GateKind, string> = {
  forget: 'forgetting',
  input: 'ignoring input',
  output: 'hiding the cell',
  cell: 'holding a strong value',
};

/** "unit 24 forget gate", "share of units forgetting (f < 0.5)", … */
export function focusLabel(kind: GateKind, focus: GateFocus): string {
  if ('unit' in focus) return `unit ${focus.unit} ${GATE_NAMES[kind]}`;
  switch (focus.summary) {
    case 'mean':
      return `mean ${GATE_NAMES[kind]}`;
    case 'share':
      return kind === 'cell'
        ? `share of units ${SHARE_WORDS[kind]} (|c| > ${CELL_SHARE_THRESHOLD})`
        : `share of units ${SHARE_WORDS[kind]} (${LETTER[kind]} < ${SHARE_THRESHOLD})`;
    case 'change':
      return `${GATE_NAMES[kind]} change from the previous token (mean |Δ|)`;
  }
}

/**
 * Whether the focus's values live on the kind's own axis (a unit, the mean: gate values in 0–1, cell values
 * signed) or on a 0–1 axis of their own (share, change), which reads like a gate scale.
 */
export function focusScaleKind(kind: GateKind, focus: GateFocus): GateKind | 'gate' {
  if ('unit' in focus || focus.summary === 'mean') return kind;
  return 'gate';
}

/** Words for the ends of a focus's scale. */
export function focusWords(kind: GateKind, focus: GateFocus): { low: string; high: string } | undefined {
  if ('unit' in focus || focus.summary === 'mean') return undefined;
  if (focus.summary === 'share') return { low: 'no unit', high: 'every unit' };
  return { low: 'steady', high: 'a full swing' };
}

/** Parses "mean", "share", "change" or a unit number (as typed on a command line or in Discord). */
export function parseFocus(text: string, units?: number): GateFocus | string {
  const t = text.trim().toLowerCase();
  if ((SUMMARY_KINDS as readonly string[]).includes(t)) return { summary: t as SummaryKind };
  if (/^\d+$/.test(t)) {
    const unit = Number(t);
    if (units !== undefined && unit >= units) return `unit must be 0 to ${units - 1} (got ${unit})`;
    return { unit };
  }
  return `expected a unit number or one of ${SUMMARY_KINDS.join(', ')} (got ${JSON.stringify(text)})`;
}
