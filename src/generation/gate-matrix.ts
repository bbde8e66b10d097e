// The one lookup from traced tokens to a tokens × units matrix of one layer's gate (or cell state), shared by
// the CLI's gate files, the TUI's gate view and picture export, and the bot's /gates.
import type { GateKind, LayerTrace } from './events.ts';

/** A token with the per-layer trace generation attached to it (absent when tracing was off). */
export interface Traced {
  text: string;
  gates?: LayerTrace[];
}

/** One token's values for a 0-based layer and a gate kind; undefined when untraced or the cell has no such gate. */
export function unitValues(token: Traced | undefined, layer: number, kind: GateKind): number[] | undefined {
  return token?.gates?.[layer]?.[kind];
}

/** Rows are tokens, columns units; tokens without a trace for this layer/kind are left out. */
export function gateMatrix(tokens: Iterable<Traced>, layer: number, kind: GateKind): { tokens: string[]; values: number[][] } {
  const out = { tokens: [] as string[], values: [] as number[][] };
  for (const t of tokens) {
    const v = unitValues(t, layer, kind);
    if (!v) continue;
    out.tokens.push(t.text);
    out.values.push(v);
  }
  return out;
}

/** One layer/kind as rows, undefined for a token without that trace, so rows stay aligned with the tokens. */
export function gateMatrixRows(tokens: Traced[], layer: number, kind: GateKind): { rows: Array<number[] | undefined>; texts: string[] } {
  return { rows: tokens.map((t) => unitValues(t, layer, kind)), texts: tokens.map((t) => t.text) };
}
