// Turns traced token events into the tokens × units matrix a heatmap draws, so the CLI, TUI and bot do not
// each re-implement the lookup (and its errors for untraced runs or missing gates).

import { UserError } from '../errors.ts';
import type { GateKind, GenerationEvent } from '../generation/events.ts';

type TokenEvent = Extract<GenerationEvent, { type: 'token' }>;

export interface GateMatrix {
  tokens: string[];
  /** values[t][u] for the chosen layer and gate. */
  values: number[][];
}

/**
 * Collects one layer's gate (or cell state) from token events; other event types are ignored.
 * Throws a UserError when the events carry no gates (generation ran without trace) or the model has no such
 * gate (a plain RNN has only the cell) or layer.
 */
export function gateMatrix(events: Iterable<GenerationEvent | TokenEvent>, layer: number, kind: GateKind): GateMatrix {
  const tokens: string[] = [];
  const values: number[][] = [];
  for (const e of events) {
    if (e.type !== 'token') continue;
    if (!e.gates) throw new UserError('these tokens carry no gate values; generate with tracing on to draw gates');
    const trace = e.gates[layer];
    if (!trace) throw new UserError(`layer ${layer} does not exist; this model has layers 0-${e.gates.length - 1}`);
    const row = trace[kind];
    if (!row) throw new UserError(`this model has no ${kind} gate; choose one of: ${Object.keys(trace).join(', ')}`);
    tokens.push(e.text);
    values.push(row);
  }
  return { tokens, values };
}
