// What the gate view colours the story by, and the keys that change it: a summary or one unit, the colour
// scale, the rule that suggests units, and a marked span. Pure, so the story reducer delegates to it and the
// tests drive it without Ink.
import type { GateKind } from '../generation/events.ts';
import { SUMMARY_KINDS, type GateFocus, type SummaryKind } from '../render/gate-focus.ts';
import { SCALE_MODES, SCALE_MODE_TEXT, type ScaleMode } from '../render/gate-scale.ts';
import { RULE_TEXT, SUGGEST_RULES, stepSuggestion, suggestUnits, type Span, type SuggestRule } from '../render/unit-suggest.ts';
import { gateMatrixRows, type Traced } from '../generation/gate-matrix.ts';

export interface GateChoices {
  /** The unit the story is coloured by; null colours it by the summary. */
  unit: number | null;
  summary: SummaryKind;
  scale: ScaleMode;
  rule: SuggestRule;
  /** A marked span of tokens; `to` null while it still follows the cursor. */
  span: { from: number; to: number | null } | null;
}

export const DEFAULT_GATE_CHOICES: GateChoices = { unit: null, summary: 'mean', scale: 'fit', rule: 'memory', span: null };

export type GateOp =
  | { op: 'summary' }
  | { op: 'scale' }
  | { op: 'rule' }
  | { op: 'suggest'; dir: 1 | -1 }
  | { op: 'unit'; dir: 1 | -1 }
  | { op: 'mark' };

export interface GateContext {
  /** Prompt tokens, then story tokens. */
  tokens: Traced[];
  layer: number;
  kind: GateKind;
  /** The selected token (-1 when there are none). */
  cursor: number;
}

export function focusOf(g: GateChoices): GateFocus {
  return g.unit === null ? { summary: g.summary } : { unit: g.unit };
}

/** The span with its open end at the cursor, lowest index first; undefined when none is marked. */
export function resolvedSpan(g: GateChoices, cursor: number): Span | undefined {
  if (!g.span) return undefined;
  const to = g.span.to ?? cursor;
  return { from: Math.min(g.span.from, to), to: Math.max(g.span.from, to) };
}

/** Units ranked by the current rule over the current layer and kind. */
export function rankedUnits(g: GateChoices, ctx: GateContext) {
  const { rows, texts } = gateMatrixRows(ctx.tokens, ctx.layer, ctx.kind);
  return suggestUnits(rows, texts, g.rule, { kind: ctx.kind, span: resolvedSpan(g, ctx.cursor) });
}

function unitCount(ctx: GateContext): number {
  for (const t of ctx.tokens) {
    const v = t.gates?.[ctx.layer]?.[ctx.kind];
    if (v) return v.length;
  }
  return 0;
}

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/** Applies a gate-view key; returns the new choices and a line for the status bar. */
export function gateReducer<G extends GateChoices>(g: G, op: GateOp, ctx: GateContext): { gates: G; message: string } {
  switch (op.op) {
    case 'summary': {
      // From a unit, back to the summary last shown; on the summary, the next one.
      const summary = g.unit !== null ? g.summary : SUMMARY_KINDS[(SUMMARY_KINDS.indexOf(g.summary) + 1) % SUMMARY_KINDS.length];
      return { gates: { ...g, unit: null, summary }, message: `colouring by the ${summary} over all units (v: next summary)` };
    }
    case 'scale': {
      const scale = SCALE_MODES[(SCALE_MODES.indexOf(g.scale) + 1) % SCALE_MODES.length];
      return { gates: { ...g, scale }, message: `colour scale: ${SCALE_MODE_TEXT[scale]}` };
    }
    case 'rule': {
      const rules = g.span ? SUGGEST_RULES : SUGGEST_RULES.filter((r) => r !== 'span');
      const rule = rules[(rules.indexOf(g.rule) + 1) % rules.length];
      return { gates: { ...g, rule }, message: `suggested units (< >): ${RULE_TEXT[rule]}` };
    }
    case 'suggest': {
      const ranked = rankedUnits(g, ctx);
      const unit = stepSuggestion(ranked, g.unit ?? undefined, op.dir);
      if (unit === undefined) return { gates: g, message: `no ${ctx.kind} values yet: generate a story first` };
      const rank = ranked.findIndex((s) => s.unit === unit) + 1;
      return {
        gates: { ...g, unit },
        message: `unit ${unit}: ${ordinal(rank)} of ${ranked.length} that ${RULE_TEXT[g.rule]} (score ${ranked[rank - 1].score.toFixed(2)})`,
      };
    }
    case 'unit': {
      const n = unitCount(ctx);
      if (n === 0) return { gates: g, message: `no ${ctx.kind} values yet: generate a story first` };
      const unit = g.unit === null ? (op.dir > 0 ? 0 : n - 1) : (g.unit + op.dir + n) % n;
      return { gates: { ...g, unit }, message: `unit ${unit} of 0-${n - 1}` };
    }
    case 'mark': {
      if (ctx.cursor < 0) return { gates: g, message: 'no tokens to mark yet' };
      if (!g.span) {
        return {
          gates: { ...g, span: { from: ctx.cursor, to: null }, rule: 'span' },
          message: 'marking a span from here: move with ← →, b again ends it; < > then suggest the units that set it apart',
        };
      }
      if (g.span.to === null) {
        const span = resolvedSpan(g, ctx.cursor)!;
        return { gates: { ...g, span: { from: span.from, to: span.to } }, message: `span of ${span.to - span.from + 1} tokens marked (b clears it)` };
      }
      return { gates: { ...g, span: null, rule: g.rule === 'span' ? 'memory' : g.rule }, message: 'span cleared' };
    }
  }
}
