// Amdahl's law for planning thread counts we cannot measure on this machine: the share of a training
// step that does not split (s) bounds the speed-up at n threads to 1 / (s + (1 − s) / n).
//
// Two estimates of s per workload:
// - fitted: from the measured 1- and 2-thread throughputs, s = 2·t2/t1 − 1 (t = time per step). It absorbs
//   everything that keeps two threads from halving the time: the parts that never split, the cost of waking
//   and joining helpers, imperfect balance and shared caches or memory bandwidth, as seen at 2 threads.
// - measured: the time per step that ran on one thread in a profiled 2-thread run (JavaScript, and kernel
//   calls that did not split) over the 1-thread step. It is a floor for s: work that split perfectly would
//   reach it, so the speed-ups it gives are a ceiling.
// - against the copies: the fitted s with the machine's own limit taken out, when two one-thread copies
//   of the same work were measured at once (their speed-up c over one copy): s = c / (t1/t2) − 1, the s
//   our split would show on a machine whose second core is a whole one (c = 2).
// The prediction uses the fitted s. Its assumptions (stated in BENCHMARKS.md): the per-thread cost of
// splitting stays what it is at 2 threads, and each core keeps its own L2 and enough memory bandwidth.

/** Serial fraction from times per step (or inverse throughputs) on 1 and 2 threads. */
export function fitSerialFraction(t1: number, t2: number): number {
  if (!(t1 > 0) || !(t2 > 0)) throw new RangeError('times must be positive');
  return 2 * (t2 / t1) - 1;
}

/** Amdahl speed-up at n threads for serial fraction s (clamped to [0, 1]: a superlinear pair fits below 0). */
export function amdahlSpeedup(s: number, n: number): number {
  const c = Math.min(1, Math.max(0, s));
  return 1 / (c + (1 - c) / n);
}

export interface ScalingInput {
  /** chars/s with 1 and 2 threads. */
  ours1: number;
  ours2: number;
  /** Share of the 1-thread step's time that runs on one thread. */
  serialMeasured?: number;
  /** Two one-thread copies at once over one: what the machine gives two independent threads. */
  copies2?: number;
  /** PyTorch's chars/s with 1 and 2 threads, when measured in the same run. */
  torch1?: number;
  torch2?: number;
}

export interface ScalingPrediction {
  /** Measured 2-thread speed-up. */
  speedup2: number;
  serialFitted: number;
  serialMeasured?: number;
  /** Predicted speed-up over 1 thread at each n (fitted s), and the ceiling from the measured s. */
  predicted: Record<number, number>;
  ceiling?: Record<number, number>;
  /** s fitted against the copies, and the speed-ups it predicts on machines of whole cores. */
  serialVsCopies?: number;
  predictedWholeCores?: Record<number, number>;
  torchSerialFitted?: number;
  torchPredicted?: Record<number, number>;
  /** Predicted ours/PyTorch at each n: the 1-thread ratio times the ratio of predicted speed-ups. */
  ratio?: Record<number, number>;
}

export const PREDICT_AT = [4, 8, 16];

export function predictScaling(m: ScalingInput, at: number[] = PREDICT_AT): ScalingPrediction {
  const s = fitSerialFraction(1 / m.ours1, 1 / m.ours2);
  const table = (f: (n: number) => number) => Object.fromEntries(at.map((n) => [n, f(n)]));
  const out: ScalingPrediction = { speedup2: m.ours2 / m.ours1, serialFitted: s, predicted: table((n) => amdahlSpeedup(s, n)) };
  if (m.serialMeasured !== undefined) {
    out.serialMeasured = m.serialMeasured;
    out.ceiling = table((n) => amdahlSpeedup(m.serialMeasured!, n));
  }
  if (m.copies2 !== undefined) {
    const sc = Math.max(0, m.copies2 / (m.ours2 / m.ours1) - 1);
    out.serialVsCopies = sc;
    out.predictedWholeCores = table((n) => amdahlSpeedup(sc, n));
  }
  if (m.torch1 !== undefined && m.torch2 !== undefined) {
    const st = fitSerialFraction(1 / m.torch1, 1 / m.torch2);
    out.torchSerialFitted = st;
    out.torchPredicted = table((n) => amdahlSpeedup(st, n));
    out.ratio = table((n) => (m.ours1 / m.torch1!) * (amdahlSpeedup(s, n) / amdahlSpeedup(st, n)));
  }
  return out;
}
