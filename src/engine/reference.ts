// The slow obvious reference: one layer, one gate at a time, plain loops in Float64, weights read
// gate by gate from the packed PyTorch layout. Tests compare the fast layers with it at 1e-10.
import type { CellType } from './config.ts';

export interface RefLayerParams {
  Wih: ArrayLike<number>; // (G·H, D)
  Whh: ArrayLike<number>; // (G·H, H)
  bih: ArrayLike<number>;
  bhh: ArrayLike<number>;
  /** lstm-peephole: diagonal peephole weights, i and f on c(t−1), o on c(t). */
  peephole?: { i: ArrayLike<number>; f: ArrayLike<number>; o: ArrayLike<number> };
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** Pre-activation of gate block `gate` for unit j: W_i·x + b_i + W_h·h + b_h (optionally split). */
function affine(p: RefLayerParams, gate: number, j: number, H: number, D: number, x: number[], h: number[]) {
  const row = gate * H + j;
  let ix = p.bih[row];
  for (let d = 0; d < D; d++) ix += p.Wih[row * D + d] * x[d];
  let hh = p.bhh[row];
  for (let k = 0; k < H; k++) hh += p.Whh[row * H + k] * h[k];
  return { ix, hh };
}

/** Runs one layer over xs[t][b] (vectors of length D) from h0[b], c0[b]. Returns outputs [t][b] and final state. */
export function referenceLayer(
  cell: CellType,
  p: RefLayerParams,
  D: number,
  H: number,
  xs: number[][][],
  h0: number[][],
  c0: number[][],
): { out: number[][][]; h: number[][]; c: number[][] } {
  let h = h0.map((r) => r.slice());
  let c = c0.map((r) => r.slice());
  const out: number[][][] = [];
  for (const xt of xs) {
    const hNext: number[][] = [];
    const cNext: number[][] = [];
    xt.forEach((x, b) => {
      const hb = new Array<number>(H);
      const cb = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        const a = (g: number) => {
          const { ix, hh } = affine(p, g, j, H, D, x, h[b]);
          return ix + hh;
        };
        if (cell === 'lstm') {
          const i = sig(a(0));
          const f = sig(a(1));
          const g = Math.tanh(a(2));
          const o = sig(a(3));
          cb[j] = f * c[b][j] + i * g;
          hb[j] = o * Math.tanh(cb[j]);
        } else if (cell === 'lstm-peephole') {
          // Gers & Schmidhuber 2000: i and f see the old cell state, o the new one.
          const ph = p.peephole!;
          const i = sig(a(0) + ph.i[j] * c[b][j]);
          const f = sig(a(1) + ph.f[j] * c[b][j]);
          const g = Math.tanh(a(2));
          cb[j] = f * c[b][j] + i * g;
          const o = sig(a(3) + ph.o[j] * cb[j]);
          hb[j] = o * Math.tanh(cb[j]);
        } else if (cell === 'lstm-coupled' || cell === 'lstm-no-forget') {
          // Blocks i, g, o; the forget gate is 1 − i (coupled) or absent, f = 1.
          const i = sig(a(0));
          const g = Math.tanh(a(1));
          const o = sig(a(2));
          const f = cell === 'lstm-coupled' ? 1 - i : 1;
          cb[j] = f * c[b][j] + i * g;
          hb[j] = o * Math.tanh(cb[j]);
        } else if (cell === 'gru') {
          const r = affine(p, 0, j, H, D, x, h[b]);
          const z = affine(p, 1, j, H, D, x, h[b]);
          const n = affine(p, 2, j, H, D, x, h[b]);
          const rv = sig(r.ix + r.hh);
          const zv = sig(z.ix + z.hh);
          const nv = Math.tanh(n.ix + rv * n.hh);
          hb[j] = (1 - zv) * nv + zv * h[b][j];
          cb[j] = 0;
        } else {
          const a = affine(p, 0, j, H, D, x, h[b]);
          hb[j] = Math.tanh(a.ix + a.hh);
          cb[j] = 0;
        }
      }
      hNext.push(hb);
      cNext.push(cb);
    });
    h = hNext;
    c = cNext;
    out.push(h.map((r) => r.slice()));
  }
  return { out, h, c };
}
