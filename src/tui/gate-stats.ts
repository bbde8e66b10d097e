// Reads gate activations out of token traces for the story view: the per-token mean it colours by, the kinds
// and layers a model has, and every value for fitting a scale. The lookup itself is in generation/gate-matrix.ts.
import type { GateKind } from '../generation/events.ts';
import { unitValues, type Traced } from '../generation/gate-matrix.ts';

export const GATE_KINDS: GateKind[] = ['forget', 'input', 'output', 'cell'];

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

/** Every value of one layer/kind over the tokens, for fitting the unit strip's scale. */
export function* allValues(tokens: Traced[], layer: number, kind: GateKind): Generator<number> {
  for (const t of tokens) {
    const v = unitValues(t, layer, kind);
    if (v) yield* v;
  }
}
