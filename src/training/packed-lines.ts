// Training windows for a corpus of independent lines (the long-dependency episodes): each window starts
// from a fresh state at the start of a line, as a person's prompt does, instead of carrying the state of
// the text before it. Whole lines are packed into windows of T + 1 tokens; the rest of a window is filler
// that is not scored (weight 0), and a line too long for a window is left out.
import { UserError } from '../errors.ts';
import type { Batches } from './data.ts';

export interface PackedLines {
  /** Windows of T + 1 tokens, one after another: a newline, whole lines (each with its newline), padding. */
  windows: Int32Array;
  /** Loss weight of each token as a target: 0 for the first of a window and the padding. */
  weights: Float32Array;
  count: number;
  /** Lines longer than a window, left out. */
  skipped: number;
}

/**
 * Packs the lines of `tokens` (separated by `newline`) into windows of `T + 1` tokens, in order. `weights`
 * (per token, as a target) carry over; without them every packed token weighs 1.
 */
export function packLines(tokens: Int32Array, newline: number, T: number, weights: Float32Array | null = null): PackedLines {
  const W = T + 1;
  // Lines as [start, end) ranges including their newline; a last line without one is taken as it is.
  const lines: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== newline) continue;
    if (i > start) lines.push([start, i + 1]);
    start = i + 1;
  }
  if (start < tokens.length) lines.push([start, tokens.length]);

  const fits = lines.filter(([a, b]) => b - a + 1 <= W);
  // Where each line goes: a new window when it does not fit after the previous one (slot 0 is the newline
  // a window starts after). Walked twice, to count the windows and then to fill them.
  function* placed(): Generator<[a: number, b: number, at: number]> {
    let k = -1;
    let used = W;
    for (const [a, b] of fits) {
      if (used + (b - a) > W) {
        k++;
        used = 1;
      }
      yield [a, b, k * W + used];
      used += b - a;
    }
  }
  let count = 0;
  for (const [, , at] of placed()) count = Math.floor(at / W) + 1;
  if (count === 0) throw new UserError(`no line of the corpus fits in a window of ${T} tokens (--seq-length) for --pack-lines`);

  const windows = new Int32Array(count * W).fill(newline);
  const w = new Float32Array(count * W);
  for (const [a, b, at] of placed()) {
    windows.set(tokens.subarray(a, b), at);
    if (weights) w.set(weights.subarray(a, b), at);
    else w.fill(1, at, at + b - a);
  }
  return { windows, weights: w, count, skipped: lines.length - fits.length };
}

/** B windows per step, in order; `pos` (the next window) is the cursor saved in checkpoints. */
export class PackedWindows implements Batches {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly w: Float32Array;
  constructor(
    private readonly packed: PackedLines,
    readonly B: number,
    readonly T: number,
    public pos = 0,
  ) {
    this.x = new Int32Array(T * B);
    this.y = new Int32Array(T * B);
    this.w = new Float32Array(T * B);
  }
  /** Fills x, y, w (time-major) from the next B windows; returns true when the windows wrapped (a new pass). */
  next(): boolean {
    const { B, T, packed } = this;
    const W = T + 1;
    let wrapped = false;
    if (this.pos + B > packed.count) {
      this.pos = 0;
      wrapped = true;
    }
    for (let b = 0; b < B; b++) {
      // Fewer windows than streams: streams share windows (a tiny corpus still trains).
      const o = ((this.pos + b) % packed.count) * W;
      for (let t = 0; t < T; t++) {
        this.x[t * B + b] = packed.windows[o + t];
        this.y[t * B + b] = packed.windows[o + t + 1];
        this.w[t * B + b] = packed.weights[o + t + 1];
      }
    }
    this.pos += Math.min(B, packed.count);
    return wrapped;
  }
}
