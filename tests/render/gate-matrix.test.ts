import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import type { GenerationEvent } from '../../src/generation/events.ts';
import { gateMatrix } from '../../src/render/gate-matrix.ts';

const token = (index: number, text: string, gates?: Array<{ forget?: number[]; cell: number[] }>): GenerationEvent => ({
  type: 'token',
  index,
  id: index,
  text,
  prob: 0.5,
  top: [],
  gates,
});

describe('gateMatrix', () => {
  it('collects one layer and gate from token events in order, skipping other events', () => {
    const events: GenerationEvent[] = [
      { type: 'end', reason: 'length', text: '', tokens: 2, seed: 's' },
      token(0, 'a', [{ forget: [0.1, 0.2], cell: [0, 0] }, { forget: [0.9, 0.8], cell: [1, 1] }]),
      token(1, 'b', [{ forget: [0.3, 0.4], cell: [0, 0] }, { forget: [0.7, 0.6], cell: [1, 1] }]),
    ];
    expect(gateMatrix(events, 1, 'forget')).toEqual({ tokens: ['a', 'b'], values: [[0.9, 0.8], [0.7, 0.6]] });
  });

  it('asks for tracing when tokens carry no gates', () => {
    expect(() => gateMatrix([token(0, 'a')], 0, 'forget')).toThrow(UserError);
  });

  it('names the available gates when the model lacks the one asked for', () => {
    expect(() => gateMatrix([token(0, 'a', [{ cell: [0] }])], 0, 'forget')).toThrow(/no forget gate; choose one of: cell/);
  });

  it('names the layer range when the layer does not exist', () => {
    expect(() => gateMatrix([token(0, 'a', [{ cell: [0] }])], 3, 'cell')).toThrow(/layers 0-0/);
  });
});
