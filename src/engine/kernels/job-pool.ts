/**
 * The job protocol that splits one product across threads: the calling thread and N−1 helper workers
 * (worker_threads instantiating the same module on the same shared memory, each with its own scratch).
 * A JS thread's Kernels instances share one set of helpers (they never run products at the same time):
 * an N-thread instance lets helpers 0..N−2 take part, so a process holds as many helpers as its largest
 * instance needs, not one set per thread count.
 *
 * A job is cut into chunks (fixed ranges of C's rows or columns). Every thread, the caller included,
 * claims chunks with compare-and-swap on one shared CLAIM word, which holds everything a claim checks: the
 * job's sequence number (high half), its chunk count and the chunks claimed so far (a byte each). A late
 * helper can therefore never claim a chunk of a job that is over, even while the caller is writing the next
 * job's arguments (a claim that read the chunk count from those arguments could, and then ran a chunk that
 * does not exist and left the caller waiting for it forever). The caller therefore only
 * ever waits for chunks a helper has actually started; when helpers are not scheduled (the machine is
 * shared), it simply claims every chunk itself. Nothing is allocated per job.
 */
import { Worker } from 'node:worker_threads';
import type { PointwiseExports } from './pointwise-wat.ts';
import { createSplitJudge } from './split-judge.ts';
import { threadScratch, type ThreadScratch, type WasmHeap } from './wasm-heap.ts';

/** The generated module's gemm exports (see build-kernels.ts). */
export interface GemmExports extends PointwiseExports {
  set_tmp(addr: number): void;
  gemm(ta: number, tb: number, M: number, N: number, K: number, A: number, B: number, C: number, acc: number,
       m0: number, m1: number, n0: number, n1: number, sa: number, sb: number): void;
  gemm_pb(ta: number, tb: number, M: number, N: number, K: number, A: number, PB: number, C: number, acc: number,
          m0: number, m1: number, n0: number, n1: number, sa: number, sb: number): void;
  /** Columns [n0, n1) of op(B) (K×N) packed for gemm_pb into dst, which holds all N (n0 a multiple of NR). */
  pack_b_all(tb: number, B: number, K: number, N: number, dst: number, n0: number, n1: number): void;
  gemv_t(K: number, W: number, ldw: number, x: number, y: number, acc: number, n0: number, n1: number): void;
  /** t: scratch for GEMV_N_BLOCK running sums. */
  gemv_n(K: number, x: number, B: number, ldb: number, y: number, acc: number, n0: number, n1: number, t: number): void;
}

/** Most threads a Kernels instance takes. */
export const MAX_THREADS = 64;

// Control block (Int32 slots) shared by the callers and every helper.
// LIMIT: helpers with a smaller id take part in the current job.
// CLAIM: seq (15 bits) << 16 | chunks << 8 | chunks claimed (claimWord).
// ARGS layout: [fn, dim (0 rows, 1 columns), grain, len, (unused: the chunk count is in CLAIM), ...kernel
// arguments before the range].
// Chunk c covers [c·grain, min(len, (c + 1)·grain)), or with grain 0 [BOUNDS[c], BOUNDS[c + 1]).
// HELPED + i counts the chunks helper i has computed (benchmarks and tests read it); READY + i is 1 once it is up.
export const CLAIM = 1;
const SEQ = 0, DONE = 2, LIMIT = 3, ERR = 4, ARGS = 8, NARGS = 16, HELPED = ARGS + NARGS, READY = HELPED + MAX_THREADS;
/** Most chunks a job may have (a byte of the CLAIM word counts them). */
export const MAX_CHUNKS = 255;
const BOUNDS = READY + MAX_THREADS;
export const SLOTS = BOUNDS + MAX_CHUNKS + 1;
/** The CLAIM word that opens job seq (1..32767) of nChunks chunks, none claimed yet. */
export const claimWord = (seq: number, nChunks: number): number => ((seq & 0x7fff) << 16) | (nChunks << 8);
export const FN_GEMM = 0, FN_GEMV_T = 1, FN_GEMV_N = 2, FN_GEMM_PB = 3;
// Row-wise element-wise kernels, split by rows of B (a chunk offsets every pointer by its first row).
export const FN_LSTM_FWD = 4, FN_LSTM_BWD = 5, FN_BIAS_ADD = 6, FN_SOFTMAX = 7;
// Kernels over flat arrays, split by blocks of blk floats (the last block may be shorter).
export const FN_ADAM = 8, FN_SCALE = 9, FN_SUMSQ = 10;
// Packing op(B) for gemm_pb, split by columns (whole NR panels).
export const FN_PACK_B = 11;
// The recurrence of an LSTM pass (every time step's recurrent product and cell step, forward or backward),
// split by batch rows: a row's recurrence reads no other row, so a chunk runs all T steps for its rows and the
// pass waits for the helpers once instead of twice per time step.
export const FN_LSTM_RECUR_FWD = 12, FN_LSTM_RECUR_BWD = 13;

/** How long (in polls of a shared word) a waiting thread spins before sleeping in Atomics.wait. */
const SPIN = 20000;

/** The chunk runner, as source so the helpers (an eval'd script) and the caller run the very same code. */
const RUN_CHUNK = `function runChunk(ex, a, c, sa, sb, I) {
  const dim = a[1], grain = a[2], len = a[3];
  const r0 = grain ? c * grain : I[${BOUNDS} + c], r1 = grain ? Math.min(len, r0 + grain) : I[${BOUNDS} + c + 1];
  switch (a[0]) {
    case ${FN_GEMM}:
      if (dim === 0) ex.gemm(a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], r0, r1, 0, a[8], sa, sb);
      else ex.gemm(a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], 0, a[7], r0, r1, sa, sb);
      break;
    case ${FN_GEMM_PB}:
      if (dim === 0) ex.gemm_pb(a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], r0, r1, 0, a[8], sa, sb);
      else ex.gemm_pb(a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], 0, a[7], r0, r1, sa, sb);
      break;
    case ${FN_GEMV_T}: ex.gemv_t(a[5], a[6], a[7], a[8], a[9], a[10], r0, r1); break;
    case ${FN_GEMV_N}: ex.gemv_n(a[5], a[6], a[7], a[8], a[9], a[10], r0, r1, sa); break;
    case ${FN_LSTM_FWD}: { // g (4H per row), cPrev, cNext, tc, hNext (H per row), H
      const s = r0 * 4 * a[10];
      ex.lstm_fwd(a[5] + 4 * s, a[6] + s, a[7] + s, a[8] + s, a[9] + s, r1 - r0, a[10]);
      break;
    }
    case ${FN_LSTM_BWD}: { // G (4H), tc, cPrev, dOut, dh, dc (H), dG (4H), H
      const s = r0 * 4 * a[12];
      ex.lstm_bwd(a[5] + 4 * s, a[6] + s, a[7] + s, a[8] + s, a[9] + s, a[10] + s, a[11] + 4 * s, r1 - r0, a[12]);
      break;
    }
    case ${FN_BIAS_ADD}: ex.bias_add(a[5] + r0 * 4 * a[6], r1 - r0, a[6], a[7]); break; // M (N per row), N, bias
    case ${FN_PACK_B}: ex.pack_b_all(a[5], a[6], a[7], a[8], a[9], r0, r1); break; // tb, B, K, N, dst
    case ${FN_LSTM_RECUR_FWD}: { // tB, T, B, H, Hs ((T+1)·B·H), packed W, G (T·B·4H), Cs ((T+1)·B·H), TC (T·B·H)
      const T = a[6], B = a[7], H = a[8], N = 4 * H, n = r1 - r0, step = 4 * B * H, s = 4 * r0 * H;
      for (let t = 0; t < T; t++) {
        const h = a[9] + t * step, g = a[11] + 4 * t * step, c = a[12] + t * step;
        ex.gemm_pb(0, a[5], B, N, H, h, a[10], g, 1, r0, r1, 0, N, sa, sb);
        ex.lstm_fwd(g + 4 * s, c + s, c + step + s, a[13] + t * step + s, h + step + s, n, H);
      }
      break;
    }
    case ${FN_LSTM_RECUR_BWD}: { // T, B, H, G (T·B·4H), TC (T·B·H), Cs, dOut (T·B·H), dh, dc (B·H), dG (T·B·4H), packed W
      const T = a[5], B = a[6], H = a[7], N = 4 * H, n = r1 - r0, step = 4 * B * H, s = 4 * r0 * H;
      for (let t = T - 1; t >= 0; t--) {
        const g = 4 * t * step;
        ex.lstm_bwd(a[8] + g + 4 * s, a[9] + t * step + s, a[10] + t * step + s, a[11] + t * step + s, a[12] + s, a[13] + s,
          a[14] + g + 4 * s, n, H);
        ex.gemm_pb(0, 0, B, H, N, a[14] + g, a[15], a[12], 0, r0, r1, 0, H, sa, sb);
      }
      break;
    }
    case ${FN_SOFTMAX}: // L (V per row), V, grad (0: none), scale bits, stats (2 per row)
      ex.softmax_rows_b(a[5] + r0 * 4 * a[6], r1 - r0, a[6], a[7] && a[7] + r0 * 4 * a[6], a[8], a[9] + r0 * 8);
      break;
    default: { // the flat kernels: elements [o, e) of n = a[6], blocks of blk = a[7]
      const o = r0 * a[7], e = Math.min(a[6], r1 * a[7]);
      if (a[0] === ${FN_ADAM}) ex.adam_at(a[5] + 4 * o, a[8] + 4 * o, a[9] + 4 * o, a[10] + 4 * o, e - o, a[11]); // p, n, blk, g, m, v, par
      else if (a[0] === ${FN_SCALE}) ex.scale_at(a[5] + 4 * o, e - o, a[8]); // x, n, blk, par
      else if (a[0] === ${FN_SUMSQ}) ex.sumsq_blocks(a[5] + 4 * o, e - o, a[7], a[8] + 8 * r0); // x, n, blk, out
    }
  }
}
/** Next chunk of job seq, or -1 when the job is over or fully claimed. Reads nothing but the CLAIM word. */
function claim(I, seq) {
  const tag = (seq & 0x7fff) << 16;
  for (;;) {
    const w = Atomics.load(I, ${CLAIM});
    if ((w & 0x7fff0000) !== tag || (w & 0xff) >= ((w >> 8) & 0xff)) return -1;
    if (Atomics.compareExchange(I, ${CLAIM}, w, w + 1) === w) return w & 0xff;
  }
}`;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, ctrl, id, tmp, sa, sb, spin } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
ex.set_tmp(tmp);
const I = new Int32Array(memory.buffer, ctrl, ${SLOTS});
${RUN_CHUNK}
Atomics.store(I, ${READY} + id, 1);
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  // Products arrive in bursts (one per time step), so spin a little before sleeping.
  for (let i = 0; i < spin && Atomics.load(I, ${SEQ}) === seen; i++);
  Atomics.wait(I, ${SEQ}, seen);
  seen = Atomics.load(I, ${SEQ});
  if (id >= Atomics.load(I, ${LIMIT})) continue; // a job of an instance with fewer threads
  let a = null;
  for (let c = claim(I, seen); c >= 0; c = claim(I, seen)) {
    // Arguments are read only after a successful claim: the caller keeps them until every claimed chunk is done.
    a ??= I.slice(${ARGS}, ${ARGS + NARGS});
    try { runChunk(ex, a, c, sa, sb, I); } catch (e) { Atomics.store(I, ${ERR}, 1); }
    Atomics.add(I, ${HELPED} + id, 1);
    Atomics.add(I, ${DONE}, 1);
    Atomics.notify(I, ${DONE});
  }
}
`;

export const { runChunk, claim } = new Function(`${RUN_CHUNK}; return { runChunk, claim };`)() as {
  runChunk(ex: GemmExports, a: Int32Array | number[], c: number, sa: number, sb: number, I: Int32Array): void;
  claim(I: Int32Array, seq: number): number;
};

export interface PoolStats {
  /** Products split between threads. */
  splitJobs: number;
  /** Chunks the helpers computed, all together. */
  workerChunks: number;
  /** Chunks each helper computed. */
  readonly chunksByWorker: number[];
}

export interface JobPool {
  /** Resolves once every helper has started (or failed to: its share then stays with the others). */
  readonly ready: Promise<void>;
  /** Helpers started or starting, not failed. */
  helpers(): number;
  /** True when a product may be split now: a helper is up and splitting is not paused. */
  canSplit(): boolean;
  /**
   * Runs a job of nChunks chunks (args: the ARGS layout above) on the caller and the helpers; with
   * grain 0, `bounds` (nChunks + 1 ascending offsets) says where each chunk starts and ends.
   */
  run(args: number[], nChunks: number, bounds?: ArrayLike<number>): void;
  readonly stats: PoolStats;
}

/** One JS thread's helpers: the shared control block and the workers started so far. */
interface Helpers {
  I: Int32Array;
  ctrlAddr: number;
  /** Resolves when helper i is up or has failed. */
  starts: Array<Promise<void>>;
  failed: Set<number>;
  seq: number;
}

const helpersByHeap = new WeakMap<WasmHeap, Helpers>();

/** The heap's helpers, started up to `n` (they are never stopped; they never keep the process alive). */
function helpersFor(h: WasmHeap, n: number): Helpers {
  let hs = helpersByHeap.get(h);
  if (!hs) {
    const ctrlAddr = h.allocBytes(SLOTS);
    hs = { I: new Int32Array(h.memory.buffer, ctrlAddr, SLOTS), ctrlAddr, starts: [], failed: new Set(), seq: 0 };
    helpersByHeap.set(h, hs);
  }
  for (let id = hs.starts.length; id < n; id++) {
    const s = threadScratch(h);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: h.module, memory: h.memory, ctrl: hs.ctrlAddr, id, tmp: s.tmp, sa: s.sa, sb: s.sb, spin: SPIN },
    });
    const failed = hs.failed;
    hs.starts.push(new Promise<void>((resolve) => {
      // A starting helper keeps the process alive (so awaiting `ready` works in a script with nothing else
      // to do); once up it never does: the process exits when the caller's work is done.
      worker.once('message', () => { worker.unref(); resolve(); });
      // A helper that cannot start leaves its share to the others; results are the same, only slower.
      worker.once('error', () => { failed.add(id); worker.unref(); resolve(); });
    }));
  }
  return hs;
}

/**
 * A pool of `helpers` helper threads for one Kernels instance. `adaptive` (default true) pauses splitting
 * while the helpers are not helping; tests turn it off to always split. `main` is the caller's scratch.
 */
export function createJobPool(h: WasmHeap, ex: GemmExports, main: ThreadScratch, helpers: number, adaptive = true): JobPool {
  const n = Math.min(MAX_THREADS - 1, helpers);
  const hs = helpersFor(h, n);
  const I = hs.I;
  let up = false;
  const anyUp = (): boolean => {
    if (!up) for (let i = 0; i < n && !up; i++) up = Atomics.load(I, READY + i) === 1;
    return up;
  };
  const stats: PoolStats = {
    splitJobs: 0,
    workerChunks: 0,
    get chunksByWorker() { return Array.from({ length: n }, (_, i) => Atomics.load(I, HELPED + i)); },
  };

  // Pauses splitting while the helpers are not helping (split-judge.ts).
  const judge = createSplitJudge();

  function run(args: number[], nChunks: number, bounds?: ArrayLike<number>): void {
    if (!(nChunks >= 1 && nChunks <= MAX_CHUNKS)) throw new RangeError(`a job has 1 to ${MAX_CHUNKS} chunks, not ${nChunks}`);
    const seq = (hs.seq = (hs.seq % 0x7fff) + 1); // 1..32767: fits the high half of CLAIM
    for (let i = 0; i < args.length; i++) I[ARGS + i] = args[i];
    if (bounds) for (let i = 0; i <= nChunks; i++) I[BOUNDS + i] = bounds[i];
    I[LIMIT] = n;
    Atomics.store(I, DONE, 0);
    Atomics.store(I, CLAIM, claimWord(seq, nChunks));
    Atomics.store(I, SEQ, seq);
    Atomics.notify(I, SEQ);
    const t0 = performance.now();
    let mine = 0;
    for (let c = claim(I, seq); c >= 0; c = claim(I, seq)) {
      runChunk(ex, args, c, main.sa, main.sb, I);
      mine++;
    }
    const theirs = nChunks - mine;
    const t1 = performance.now();
    for (let i = 0; i < SPIN && Atomics.load(I, DONE) !== theirs; i++);
    for (let d = Atomics.load(I, DONE); d !== theirs; d = Atomics.load(I, DONE)) Atomics.wait(I, DONE, d);
    if (Atomics.load(I, ERR)) {
      Atomics.store(I, ERR, 0);
      throw new Error('gemm worker failed');
    }
    stats.splitJobs++;
    stats.workerChunks += theirs;
    if (adaptive) judge.record({ mine, chunks: nChunks, workMs: t1 - t0, waitMs: performance.now() - t1 });
  }

  return {
    ready: Promise.all(hs.starts.slice(0, n)).then(() => {}),
    helpers: () => n - [...hs.failed].filter((id) => id < n).length,
    canSplit: () => anyUp() && !judge.paused(),
    run,
    stats,
  };
}
