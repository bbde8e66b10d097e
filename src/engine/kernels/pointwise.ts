/**
 * The element-wise WebAssembly kernels (pointwise-wat.ts) behind a Float32Array interface. They run on the
 * calling thread, except those a host may split by rows or blocks (PointwiseHost.splitRows); every row,
 * element and block is computed alone, so results never depend on the thread count.
 * Every method works in place on arrays living in kernel memory (from Kernels.alloc(), or subarrays of them)
 * and returns false, doing nothing, when any array lives elsewhere: the caller then runs its own loop.
 */
import type { PointwiseExports } from './pointwise-wat.ts';

export interface PointwiseKernels {
  /** True when `a` lives in kernel memory, so the methods below can run on it. */
  owns(a: Float32Array): boolean;
  /**
   * One LSTM step for B rows: g (B×4H) holds the pre-activations of gates i, f, g, o and is activated in place;
   * c' = f⊙cPrev + i⊙g → cNext, tanh(c') → tc, o⊙tanh(c') → hNext (each B×H).
   */
  lstmForward(g: Float32Array, cPrev: Float32Array, cNext: Float32Array, tc: Float32Array, hNext: Float32Array,
              B: number, H: number): boolean;
  /**
   * Backward through one LSTM step for B rows (see cells/lstm.ts): from the activated gates G (B×4H), tanh(c)
   * tc, the previous cell state cPrev, the output gradient dOut and the carried dh, dc (B×H), writes the gate
   * pre-activation gradients dG (B×4H) and replaces dc by the gradient reaching the previous cell state.
   */
  lstmBackward(G: Float32Array, tc: Float32Array, cPrev: Float32Array, dOut: Float32Array, dh: Float32Array,
               dc: Float32Array, dG: Float32Array, B: number, H: number): boolean;
  /**
   * One step of the three-gate LSTM variants for B rows: g (B×3H, pre-activations of i, g, o) is activated in
   * place; f = 1 − i when `coupled`, else exactly 1; c' = f⊙cPrev + i⊙g → cNext, tanh(c') → tc, o⊙tanh(c') → hNext.
   */
  lstm3Forward(g: Float32Array, cPrev: Float32Array, cNext: Float32Array, tc: Float32Array, hNext: Float32Array,
               B: number, H: number, coupled: boolean): boolean;
  /** Backward through lstm3Forward (see cells/lstm-variants.ts): writes dG (B×3H), dc ← gradient reaching cPrev. */
  lstm3Backward(G: Float32Array, tc: Float32Array, cPrev: Float32Array, dOut: Float32Array, dh: Float32Array,
                dc: Float32Array, dG: Float32Array, B: number, H: number, coupled: boolean): boolean;
  /** One peephole-LSTM step for B rows: lstmForward with the peephole vectors p (i, f on cPrev; o on cNext; H each). */
  peepholeForward(g: Float32Array, cPrev: Float32Array, cNext: Float32Array, tc: Float32Array, hNext: Float32Array,
                  B: number, H: number, p: Peepholes): boolean;
  /**
   * Backward through peepholeForward: lstmBackward plus the peephole paths, accumulating the peephole gradients
   * (p.di, p.df, p.do); needs the new cell state cNext as well.
   */
  peepholeBackward(G: Float32Array, tc: Float32Array, cPrev: Float32Array, cNext: Float32Array, dOut: Float32Array,
                   dh: Float32Array, dc: Float32Array, dG: Float32Array, B: number, H: number, p: Peepholes): boolean;
  /**
   * One GRU step for B rows: gx (B×3H, input side of r, z, n incl. bih) is activated in place with gh (B×3H,
   * hidden side incl. bhh): r = σ(gx+gh), z = σ(gx+gh), n = tanh(gx + r⊙gh); hNext = (1−z)⊙n + z⊙hPrev.
   */
  gruForward(gx: Float32Array, gh: Float32Array, hPrev: Float32Array, hNext: Float32Array, B: number, H: number): boolean;
  /** x ← tanh(x) element-wise. */
  tanhInPlace(x: Float32Array): boolean;
  /** Rows of M (R×N) += bias (N). Bit-identical to the plain loop. */
  addBias(M: Float32Array, R: number, N: number, bias: Float32Array): boolean;
  /** out (N) += Σ_r M[r, :], rows in order. Bit-identical to the plain loop. */
  addRowSums(M: Float32Array, R: number, N: number, out: Float32Array): boolean;
  /**
   * For each row r of logits (N×V): its max and Σ e^(x − max), returned as pairs (a view of scratch memory,
   * valid until the next call), or null when logits is not in kernel memory. With grad (N×V, may be logits
   * itself), also writes softmax·scale into it.
   */
  softmaxRows(logits: Float32Array, N: number, V: number, grad: Float32Array | null, scale: number): Float32Array | null;
  /** One Adam update of p with gradient g and moments m, v (c1, c2: bias corrections). Bit-identical to the JS loop. */
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, b1: number, b2: number,
       c1: number, c2: number, eps: number): boolean;
  /** x ← x·s (s a double, each product rounded to float as the JS loop `x[i] *= s` does). */
  scaleInPlace(x: Float32Array, s: number): boolean;
  /**
   * Σ x² in doubles, in the order sumSquares in training/optimizer.ts defines (blocks of SQUARES_BLOCK, four
   * lanes within a block, blocks added in order), or null when x is not in kernel memory.
   */
  sumSquares(x: Float32Array): number | null;
}

/** Block of the sum of squares (its order is part of the result) and of splitting the flat kernels across threads. */
export const SQUARES_BLOCK = 4096;

/** The peephole weights of one layer and their gradients (H each). */
export interface Peepholes {
  i: Float32Array; f: Float32Array; o: Float32Array; di: Float32Array; df: Float32Array; do: Float32Array;
}

/** The row-wise kernels a host may split across threads (every row is computed alone, so any split gives the same bits). */
export type RowKernel = 'lstm_fwd' | 'lstm_bwd' | 'bias_add' | 'softmax' | 'adam' | 'scale' | 'sumsq';

export interface PointwiseHost {
  owns(a: Float32Array): boolean;
  /**
   * Runs a row-wise kernel across threads and returns true, or returns false when splitting would not pay:
   * the kernel then runs on the calling thread. Row kernels take their exports' arguments (rows = B, R or
   * N); the flat ones (adam, scale, sumsq) take x, n, block, then the rest, with rows = blocks.
   */
  splitRows?(kernel: RowKernel, args: readonly number[], rows: number, floatsPerRow: number): boolean;
  /** Byte address of n floats of scratch, reused by later calls. */
  scratch(n: number): number;
  /** Byte address of n floats that stay this instance's. */
  alloc(n: number): number;
  view(addr: number, n: number): Float32Array;
  view64(addr: number, n: number): Float64Array;
}

// An f32's bits, for the one float argument a split job passes (job arguments are 32-bit integers).
const f32 = new Float32Array(1), f32Bits = new Int32Array(f32.buffer);
const bitsOf = (x: number): number => ((f32[0] = x), f32Bits[0]);

function need(a: Float32Array, n: number, what: string): void {
  if (a.length < n) throw new RangeError(`${what} has ${a.length} elements, needs ${n}`);
}

export function createPointwise(ex: PointwiseExports, host: PointwiseHost): PointwiseKernels {
  const mine = (a: Float32Array): boolean => a instanceof Float32Array && host.owns(a);
  const par = host.alloc(16); // the doubles of adam_at and scale_at
  let sums = 0, sumsCap = 0; // per-block sums of squares (doubles)
  /** Runs a flat kernel on x's n floats in blocks across threads when that pays; false: run it here. */
  const splitFlat = (kernel: RowKernel, x: Float32Array, rest: number[]): boolean =>
    host.splitRows?.(kernel, [x.byteOffset, x.length, SQUARES_BLOCK, ...rest], Math.ceil(x.length / SQUARES_BLOCK), SQUARES_BLOCK) ?? false;
  return {
    owns: mine,
    lstmForward(g, cPrev, cNext, tc, hNext, B, H) {
      if (!(mine(g) && mine(cPrev) && mine(cNext) && mine(tc) && mine(hNext))) return false;
      need(g, 4 * B * H, 'gates');
      for (const a of [cPrev, cNext, tc, hNext]) need(a, B * H, 'state');
      const args = [g.byteOffset, cPrev.byteOffset, cNext.byteOffset, tc.byteOffset, hNext.byteOffset, B, H] as const;
      if (!host.splitRows?.('lstm_fwd', args, B, 4 * H)) ex.lstm_fwd(...args);
      return true;
    },
    lstmBackward(G, tc, cPrev, dOut, dh, dc, dG, B, H) {
      if (!(mine(G) && mine(tc) && mine(cPrev) && mine(dOut) && mine(dh) && mine(dc) && mine(dG))) return false;
      need(G, 4 * B * H, 'gates');
      need(dG, 4 * B * H, 'gate gradients');
      for (const a of [tc, cPrev, dOut, dh, dc]) need(a, B * H, 'state');
      const args = [G.byteOffset, tc.byteOffset, cPrev.byteOffset, dOut.byteOffset, dh.byteOffset, dc.byteOffset, dG.byteOffset, B, H] as const;
      if (!host.splitRows?.('lstm_bwd', args, B, 8 * H)) ex.lstm_bwd(...args);
      return true;
    },
    lstm3Forward(g, cPrev, cNext, tc, hNext, B, H, coupled) {
      if (!(mine(g) && mine(cPrev) && mine(cNext) && mine(tc) && mine(hNext))) return false;
      need(g, 3 * B * H, 'gates');
      for (const a of [cPrev, cNext, tc, hNext]) need(a, B * H, 'state');
      ex.lstm3_fwd(g.byteOffset, cPrev.byteOffset, cNext.byteOffset, tc.byteOffset, hNext.byteOffset, B, H, coupled ? 1 : 0);
      return true;
    },
    lstm3Backward(G, tc, cPrev, dOut, dh, dc, dG, B, H, coupled) {
      if (!(mine(G) && mine(tc) && mine(cPrev) && mine(dOut) && mine(dh) && mine(dc) && mine(dG))) return false;
      need(G, 3 * B * H, 'gates');
      need(dG, 3 * B * H, 'gate gradients');
      for (const a of [tc, cPrev, dOut, dh, dc]) need(a, B * H, 'state');
      ex.lstm3_bwd(G.byteOffset, tc.byteOffset, cPrev.byteOffset, dOut.byteOffset, dh.byteOffset, dc.byteOffset,
        dG.byteOffset, B, H, coupled ? 1 : 0);
      return true;
    },
    peepholeForward(g, cPrev, cNext, tc, hNext, B, H, p) {
      const peep = [p.i, p.f, p.o];
      if (!(mine(g) && mine(cPrev) && mine(cNext) && mine(tc) && mine(hNext) && peep.every(mine))) return false;
      need(g, 4 * B * H, 'gates');
      for (const a of [cPrev, cNext, tc, hNext]) need(a, B * H, 'state');
      for (const a of peep) need(a, H, 'peephole');
      ex.lstmp_fwd(g.byteOffset, cPrev.byteOffset, cNext.byteOffset, tc.byteOffset, hNext.byteOffset, B, H,
        p.i.byteOffset, p.f.byteOffset, p.o.byteOffset);
      return true;
    },
    peepholeBackward(G, tc, cPrev, cNext, dOut, dh, dc, dG, B, H, p) {
      const peep = [p.i, p.f, p.o, p.di, p.df, p.do];
      if (!(mine(G) && mine(tc) && mine(cPrev) && mine(cNext) && mine(dOut) && mine(dh) && mine(dc) && mine(dG) && peep.every(mine))) return false;
      need(G, 4 * B * H, 'gates');
      need(dG, 4 * B * H, 'gate gradients');
      for (const a of [tc, cPrev, cNext, dOut, dh, dc]) need(a, B * H, 'state');
      for (const a of peep) need(a, H, 'peephole');
      ex.lstmp_bwd(G.byteOffset, tc.byteOffset, cPrev.byteOffset, cNext.byteOffset, dOut.byteOffset, dh.byteOffset,
        dc.byteOffset, dG.byteOffset, B, H, p.i.byteOffset, p.f.byteOffset, p.o.byteOffset,
        p.di.byteOffset, p.df.byteOffset, p.do.byteOffset);
      return true;
    },
    gruForward(gx, gh, hPrev, hNext, B, H) {
      if (!(mine(gx) && mine(gh) && mine(hPrev) && mine(hNext))) return false;
      need(gx, 3 * B * H, 'input gates');
      need(gh, 3 * B * H, 'hidden gates');
      need(hPrev, B * H, 'state');
      need(hNext, B * H, 'state');
      ex.gru_fwd(gx.byteOffset, gh.byteOffset, hPrev.byteOffset, hNext.byteOffset, B, H);
      return true;
    },
    tanhInPlace(x) {
      if (!mine(x)) return false;
      ex.tanh_n(x.byteOffset, x.length);
      return true;
    },
    addBias(M, R, N, bias) {
      if (!(mine(M) && mine(bias))) return false;
      need(M, R * N, 'matrix');
      need(bias, N, 'bias');
      if (!host.splitRows?.('bias_add', [M.byteOffset, R, N, bias.byteOffset], R, N)) ex.bias_add(M.byteOffset, R, N, bias.byteOffset);
      return true;
    },
    addRowSums(M, R, N, out) {
      if (!(mine(M) && mine(out))) return false;
      need(M, R * N, 'matrix');
      need(out, N, 'sums');
      ex.row_sums(M.byteOffset, R, N, out.byteOffset);
      return true;
    },
    softmaxRows(logits, N, V, grad, scale) {
      if (!mine(logits) || (grad && !mine(grad))) return null;
      need(logits, N * V, 'logits');
      if (grad) need(grad, N * V, 'gradient');
      const stats = host.scratch(2 * N);
      const g = grad ? grad.byteOffset : 0;
      // A sampled token's row (N = 1) never splits: no job arguments to build for it.
      if (N < 2 || !host.splitRows?.('softmax', [logits.byteOffset, N, V, g, bitsOf(scale), stats], N, V)) ex.softmax_rows(logits.byteOffset, N, V, g, scale, stats);
      return host.view(stats, 2 * N);
    },
    adam(p, g, m, v, lr, b1, b2, c1, c2, eps) {
      if (!(mine(p) && mine(g) && mine(m) && mine(v))) return false;
      const n = p.length;
      need(g, n, 'gradient');
      need(m, n, 'first moment');
      need(v, n, 'second moment');
      host.view64(par, 8).set([lr, b1, 1 - b1, b2, 1 - b2, c1, c2, eps]);
      if (!splitFlat('adam', p, [g.byteOffset, m.byteOffset, v.byteOffset, par])) ex.adam_at(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, par);
      return true;
    },
    scaleInPlace(x, s) {
      if (!mine(x)) return false;
      host.view64(par, 1)[0] = s;
      if (!splitFlat('scale', x, [par])) ex.scale_at(x.byteOffset, x.length, par);
      return true;
    },
    sumSquares(x) {
      if (!mine(x)) return null;
      const blocks = Math.ceil(x.length / SQUARES_BLOCK);
      if (blocks > sumsCap) {
        sumsCap = Math.max(blocks, 2 * sumsCap);
        sums = host.alloc(2 * sumsCap);
      }
      if (!splitFlat('sumsq', x, [sums])) ex.sumsq_blocks(x.byteOffset, x.length, SQUARES_BLOCK, sums);
      const part = host.view64(sums, blocks);
      let total = 0;
      for (let b = 0; b < blocks; b++) total += part[b];
      return total;
    },
  };
}
