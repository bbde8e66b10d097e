// Reads gate activations out of token traces: the per-token mean the story view colours by, the
// per-unit vector the panel draws, and the tokens × units matrix the picture export needs.
import type { GateKind, LayerTrace } from '../generation/events.ts';

export const GATE_KINDS: GateKind[] = ['forget', 'input', 'output', 'cell'];

export interface Traced {
  text: string;
  gates?: LayerTrace[];
}

export function unitValues(token: Traced | undefined, layer: number, kind: GateKind): number[] | undefined {
  return token?.gates?.[layer]?.[kind];
}

export function meanValue(values: number[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Kinds present in the trace: all four for LSTM and GRU, only the cell (hidden) state for a plain RNN. */
export function availableKinds(tokens: Traced[]): GateKind[] {
  const first = tokens.find((t) => t.gates && t.gates.length > 0);
  if (!first?.gates) return GATE_KINDS;
  return GATE_KINDS.filter((k) => first.gates![0][k] !== undefined);
}

export function layerCount(tokens: Traced[], fallback: number): number {
  const first = tokens.find((t) => t.gates && t.gates.length > 0);
  return first?.gates?.length ?? fallback;
}

/** Rows are tokens, columns units; tokens without a trace for this layer/kind are left out. */
export function gateMatrix(tokens: Traced[], layer: number, kind: GateKind): { tokens: string[]; values: number[][] } {
  const out = { tokens: [] as string[], values: [] as number[][] };
  for (const t of tokens) {
    const v = unitValues(t, layer, kind);
    if (!v) continue;
    out.tokens.push(t.text);
    out.values.push(v);
  }
  return out;
}

/** One layer/kind as rows (undefined for a token without that trace) and the tokens' texts, for the analysis in src/render. */
export function gateMatrixRows(tokens: Traced[], layer: number, kind: GateKind): { rows: Array<number[] | undefined>; texts: string[] } {
  return { rows: tokens.map((t) => unitValues(t, layer, kind)), texts: tokens.map((t) => t.text) };
}

/** Every value of one layer/kind over the tokens, for fitting the unit strip's scale. */
export function* allValues(tokens: Traced[], layer: number, kind: GateKind): Generator<number> {
  for (const t of tokens) {
    const v = unitValues(t, layer, kind);
    if (v) yield* v;
  }
}
