// The contract every recurrent cell implements over a whole sequence (time-major).
//   x: (T·B, D)  out: (T·B, H)  h0, c0: (B, H)
// forward caches what backward needs; the same caches feed the gate display (trace).
import type { Arr, Backend, PackedB } from '../backend.ts';

/**
 * Per-layer activations at one generated token.
 * LSTM: forget, input, output gates and cell state. GRU: forget = update gate z (the fraction of the old
 * state kept), input = 1 - z, output = reset gate r, cell = hidden state. RNN: only cell (= hidden state).
 * LSTM variants: lstm-peephole as the LSTM; lstm-coupled as the LSTM with forget = 1 − input and forgetIs
 * 'coupled'; lstm-no-forget has no forget (it is fixed at 1) and forgetIs 'fixed'.
 */
export interface LayerTrace {
  forget?: number[];
  /**
   * Set when the cell has no forget gate of its own, so views can say so (FORGET_NOTES in engine/config.ts has
   * the sentence): 'coupled' — forget is computed as 1 − input; 'fixed' — f ≡ 1, so forget is left out and the
   * cell state is the thing to look at.
   */
  forgetIs?: 'coupled' | 'fixed';
  input?: number[];
  output?: number[];
  cell: number[];
}

export interface RecurrentLayer {
  readonly D: number;
  readonly H: number;
  /** Runs T steps from (h0, c0). Returns the outputs (T·B, H); a view valid until the next forward. */
  forward(x: Arr, T: number, B: number, h0: Arr, c0: Arr | null): Arr;
  /** Final hidden state (B, H) and, for LSTM, cell state of the last forward. */
  lastH(): Arr;
  lastC(): Arr | null;
  /**
   * Back-propagates dOut (T·B, H) plus the gradient reaching the final state; accumulates parameter
   * gradients and returns dx (T·B, D), dh0 and dc0 (views valid until the next call).
   */
  backward(dOut: Arr, dhT: Arr | null, dcT: Arr | null): { dx: Arr; dh0: Arr; dc0: Arr | null };
  /** Gate activations at step t for batch row b of the last forward. */
  trace(t: number, b: number): LayerTrace;
  /** Frees the layer's buffers (the layer is unusable afterwards). */
  dispose(): void;
}

export interface LayerParams {
  Wih: Arr; // (G·H, D)
  Whh: Arr; // (G·H, H)
  bih: Arr; // (G·H)
  bhh: Arr; // (G·H)
  dWih: Arr;
  dWhh: Arr;
  dbih: Arr;
  dbhh: Arr;
  /** lstm-peephole only: the diagonal peephole weights (H each; i, f on c(t−1), o on c(t)) and their gradients. */
  peephole?: { i: Arr; f: Arr; o: Arr; di: Arr; df: Arr; do: Arr };
}

/**
 * Buffers per (T, B) shape, allocated on first use and kept: training, evaluation and sampling alternate
 * between a few shapes, and nothing is allocated inside the step loop.
 */
export class Workspace {
  private current = new Map<string, Arr>();
  private shapes = new Map<string, Map<string, Arr>>();
  constructor(private readonly backend: Backend) {}
  ensure(T: number, B: number, sizes: Record<string, number>): void {
    const key = `${T}x${B}`;
    let bufs = this.shapes.get(key);
    if (!bufs) {
      bufs = new Map(Object.entries(sizes).map(([name, n]) => [name, this.backend.alloc(n)]));
      this.shapes.set(key, bufs);
    }
    this.current = bufs;
  }
  get(name: string): Arr {
    return this.current.get(name)!;
  }
  dispose(): void {
    for (const bufs of this.shapes.values()) for (const b of bufs.values()) this.backend.free(b);
    this.shapes.clear();
    this.current = new Map();
  }
}

/**
 * What every cell shares: its parameters, a per-shape workspace, the shape and input of the last forward,
 * and an output buffer Hs (T+1, B, H) whose row 0 is h0, so the final state is its last row.
 */
export abstract class SequenceLayer {
  protected ws: Workspace;
  protected T = 0;
  protected B = 0;
  protected x!: Arr;

  constructor(
    readonly D: number,
    readonly H: number,
    protected readonly p: LayerParams,
    protected readonly backend: Backend,
  ) {
    this.ws = new Workspace(backend);
  }

  /** Whh packed for this pass's per-step products: [forward (op = Whhᵀ), backward (op = Whh)]. */
  private readonly packs: (PackedB | undefined)[] = [undefined, undefined];

  /**
   * Packs Whh once for the T per-step products of the pass about to run (call after the weights last
   * changed, i.e. at the start of forward or backward), when the backend packs and there are steps to share
   * it. Results are the same with or without; packing a 1 MB weight at every step is what it saves.
   */
  protected packWhh(pass: 'forward' | 'backward'): PackedB | undefined {
    const { T, B, H, backend } = this;
    if (!backend.packB || T < 2 || B < 2) return undefined;
    const GH = this.p.Whh.length / H;
    const i = pass === 'forward' ? 0 : 1;
    const packed = pass === 'forward'
      ? backend.packB(true, H, GH, this.p.Whh, this.packs[i])
      : backend.packB(false, GH, H, this.p.Whh, this.packs[i]);
    return (this.packs[i] = packed ?? undefined);
  }

  /** The workspace a (T, B) pass needs, by name: what the cell's forward keeps and its backward fills. */
  protected abstract buffers(T: number, B: number): Record<string, number>;

  /** Starts a forward pass: buffers sized for (T, B), and the shape and input its backward will read. */
  protected begin(x: Arr, T: number, B: number): void {
    this.ws.ensure(T, B, this.buffers(T, B));
    this.T = T;
    this.B = B;
    this.x = x;
  }

  /** The (B, H) buffer `name` holding the gradient that arrives from beyond the last step, or zeros. */
  protected carriedIn(name: string, from: Arr | null): Arr {
    const buf = this.ws.get(name);
    if (from) buf.set(from.subarray(0, this.B * this.H));
    else buf.fill(0);
    return buf;
  }

  lastH(): Arr {
    return this.ws.get('Hs').subarray(this.T * this.B * this.H, (this.T + 1) * this.B * this.H);
  }

  dispose(): void {
    this.ws.dispose();
    for (const p of this.packs) if (p) this.backend.freePacked?.(p);
    this.packs.fill(undefined);
  }

  /**
   * The products that follow the time loop of every backward pass, done once over all T·B rows:
   * dWhh += dGhᵀ·Hprev, dWih += dGxᵀ·x, bias sums, and dx = dGx·Wih. dGx / dGh (T·B, G·H) are the
   * pre-activation gradients on the input and hidden side (the same matrix except for the GRU).
   */
  protected weightGradients(dGx: Arr, dGh: Arr, GH: number): Arr {
    const { T, B, H, D, backend } = this;
    const { Wih, dWih, dWhh, dbih, dbhh } = this.p;
    const TB = T * B;
    backend.gemm(true, false, GH, H, TB, dGh, this.ws.get('Hs').subarray(0, TB * H), dWhh, true);
    backend.gemm(true, false, GH, D, TB, dGx, this.x, dWih, true);
    addRowSums(dGx, TB, GH, dbih, backend);
    addRowSums(dGh, TB, GH, dbhh, backend);
    const dx = this.ws.get('dx');
    backend.gemm(false, false, TB, D, GH, dGx, Wih, dx, false);
    return dx;
  }
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Sum of rows: out[j] += Σ_r M[r, j] for M (R×N). The backend's kernel, when given and able, is bit-identical. */
export function addRowSums(M: Arr, R: number, N: number, out: Arr, backend?: Backend): void {
  if (backend?.addRowSums?.(M, R, N, out)) return;
  for (let r = 0; r < R; r++) {
    const o = r * N;
    for (let j = 0; j < N; j++) out[j] += M[o + j];
  }
}

/** rows of M (R×N) += bias (N). The backend's kernel, when given and able, is bit-identical. */
export function addBias(M: Arr, R: number, N: number, bias: Arr, backend?: Backend): void {
  if (backend?.addBias?.(M, R, N, bias)) return;
  for (let r = 0; r < R; r++) {
    const o = r * N;
    for (let j = 0; j < N; j++) M[o + j] += bias[j];
  }
}

export function toArray(a: Arr, from: number, n: number): number[] {
  return Array.from(a.subarray(from, from + n));
}
