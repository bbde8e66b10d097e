import { describe, expect, it } from 'vitest';
import { gateMatrix, gateMatrixRows, unitValues, type Traced } from '../../src/generation/gate-matrix.ts';

const tokens: Traced[] = [
  { text: 'a', gates: [{ forget: [0.1, 0.2], cell: [0, 0] }, { forget: [0.9, 0.8], cell: [1, 1] }] },
  { text: 'b' },
  { text: 'c', gates: [{ forget: [0.3, 0.4], cell: [0, 0] }, { forget: [0.7, 0.6], cell: [1, 1] }] },
];

describe('gate matrix', () => {
  it('collects one layer and gate as tokens × units, leaving out untraced tokens', () => {
    expect(gateMatrix(tokens, 1, 'forget')).toEqual({ tokens: ['a', 'c'], values: [[0.9, 0.8], [0.7, 0.6]] });
  });

  it('is empty for a gate the cell does not have', () => {
    expect(gateMatrix(tokens, 0, 'input')).toEqual({ tokens: [], values: [] });
  });

  it('keeps rows aligned with the tokens, undefined where there is no trace', () => {
    expect(gateMatrixRows(tokens, 0, 'forget')).toEqual({ rows: [[0.1, 0.2], undefined, [0.3, 0.4]], texts: ['a', 'b', 'c'] });
    expect(unitValues(tokens[0], 2, 'cell')).toBeUndefined();
  });
});
