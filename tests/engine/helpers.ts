// Shared helpers for the engine's numeric tests (Float64 throughout).
import { f64Backend } from '../../src/engine/backend.ts';
import type { CellType } from '../../src/engine/config.ts';
import { CELL_TYPES, GATES } from '../../src/engine/config.ts';
import { createLayer } from '../../src/engine/cells/index.ts';
import type { RecurrentLayer, LayerParams } from '../../src/engine/cells/layer.ts';
import { Rng } from '../../src/engine/rng.ts';

export function randomArray(rng: Rng, n: number, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-scale, scale);
  return a;
}

export function makeLayer(cell: CellType, D: number, H: number, rng: Rng): { layer: RecurrentLayer; p: LayerParams } {
  const G = GATES[cell];
  const p: LayerParams = {
    Wih: randomArray(rng, G * H * D, 0.6),
    Whh: randomArray(rng, G * H * H, 0.6),
    bih: randomArray(rng, G * H, 0.3),
    bhh: randomArray(rng, G * H, 0.3),
    dWih: new Float64Array(G * H * D),
    dWhh: new Float64Array(G * H * H),
    dbih: new Float64Array(G * H),
    dbhh: new Float64Array(G * H),
  };
  if (cell === 'lstm-peephole') {
    // Peephole weights of order one, so their paths matter as much as the gates' own.
    p.peephole = { i: randomArray(rng, H), f: randomArray(rng, H), o: randomArray(rng, H),
      di: new Float64Array(H), df: new Float64Array(H), do: new Float64Array(H) };
  }
  return { layer: createLayer(cell, D, H, p, f64Backend), p };
}

/** Every cell, for tests that hold for all of them. */
export const ALL_CELLS: CellType[] = [...CELL_TYPES];
