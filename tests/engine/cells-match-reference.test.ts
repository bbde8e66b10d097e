// The packed, time-major layers compute exactly the per-gate equations of PyTorch's cells.
import { describe, expect, it } from 'vitest';
import { referenceLayer } from '../../src/engine/reference.ts';
import { Rng } from '../../src/engine/rng.ts';
import { hasCellState, type CellType } from '../../src/engine/config.ts';
import { ALL_CELLS, makeLayer, randomArray } from './helpers.ts';

const SHAPES = [
  { T: 1, B: 1, D: 1, H: 1 },
  { T: 1, B: 3, D: 4, H: 5 },
  { T: 6, B: 1, D: 3, H: 1 },
  { T: 7, B: 2, D: 5, H: 4 },
  { T: 4, B: 3, D: 8, H: 9 },
];

describe.each<CellType>(ALL_CELLS)('%s layer', (cell) => {
  const withC = hasCellState(cell);
  it.each(SHAPES)('matches the naive per-gate reference to 1e-10 for T=$T B=$B D=$D H=$H', ({ T, B, D, H }) => {
    const rng = new Rng(`ref-${cell}-${T}-${B}-${D}-${H}`);
    const { layer, p } = makeLayer(cell, D, H, rng);
    const x = randomArray(rng, T * B * D);
    const h0 = randomArray(rng, B * H, 0.5);
    const c0 = randomArray(rng, B * H, 0.5);
    const out = layer.forward(x, T, B, h0, withC ? c0 : null);

    const xs = Array.from({ length: T }, (_, t) =>
      Array.from({ length: B }, (_, b) => Array.from(x.subarray((t * B + b) * D, (t * B + b + 1) * D))),
    );
    const rows = (a: Float64Array) => Array.from({ length: B }, (_, b) => Array.from(a.subarray(b * H, (b + 1) * H)));
    const ref = referenceLayer(cell, p, D, H, xs, rows(h0), withC ? rows(c0) : rows(new Float64Array(B * H)));

    let maxDiff = 0;
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) maxDiff = Math.max(maxDiff, Math.abs(out[(t * B + b) * H + j] - ref.out[t][b][j]));
    for (let b = 0; b < B; b++)
      for (let j = 0; j < H; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(layer.lastH()[b * H + j] - ref.h[b][j]));
        if (withC) maxDiff = Math.max(maxDiff, Math.abs(layer.lastC()![b * H + j] - ref.c[b][j]));
      }
    expect(maxDiff).toBeLessThan(1e-10);
  });
});
