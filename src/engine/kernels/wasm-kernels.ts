/**
 * The WebAssembly SIMD backend: the generated kernels (gemm-wasm.generated.ts) over the thread's shared
 * kernel memory (wasm-heap.ts), optionally splitting large products across threads (job-pool.ts).
 *
 * Threads split C by rows or columns, never K, so every element is summed in the same order and results
 * are bitwise identical for any thread count and any chunking.
 */
import type { Kernels, PackedB } from './index.ts';
import { KERNEL_SHAPE } from './gemm-wasm.generated.ts';
import {
  createJobPool, MAX_CHUNKS, FN_ADAM, FN_BIAS_ADD, FN_GEMM, FN_GEMM_PB, FN_GEMV_N, FN_GEMV_T, FN_LSTM_BWD, FN_LSTM_FWD, FN_LSTM_RECUR_BWD, FN_LSTM_RECUR_FWD, FN_PACK_B, FN_SCALE, FN_SOFTMAX, FN_SUMSQ,
  MAX_THREADS, type GemmExports, type JobPool, type PoolStats,
} from './job-pool.ts';
import { createPointwise, type RowKernel } from './pointwise.ts';
import { Scratch, sharedHeap, threadScratch } from './wasm-heap.ts';

export { wasmSimdSupported } from './wasm-heap.ts';

/**
 * Products smaller than this many multiply-adds run on one thread: waking helpers costs more than they
 * save. It keeps batch-1 sampling's smallest products (the embedding and decoder rows) on one thread.
 */
export const DEFAULT_SPLIT_MACS = 1 << 17;
/**
 * Row-wise element-wise kernels (LSTM cell steps, bias rows) and the packing of a weight for gemm_pb over
 * fewer floats than this run on one thread. It splits the cell steps of a training batch (32 × 4·256 gates
 * and up) and keeps batch-1 sampling's on one thread.
 */
export const DEFAULT_SPLIT_FLOATS = 1 << 15;
/** A chunk is at least this many multiply-adds, so claiming it (one compare-and-swap) stays negligible. */
const MIN_CHUNK_MACS = 1 << 14;
/** Chunks per job: a few per thread, so a late or descheduled helper costs the others at most one chunk. */
export const chunksFor = (threads: number): number => Math.max(8, 4 * threads);

// Job arguments of each row kernel from its exports' arguments: the row count (B, R or N) is dropped, the
// chunk supplies its own. The flat kernels keep theirs (x, n, block, …): a chunk is a range of blocks.
const ROW_JOBS: Record<RowKernel, { fn: number; rowsAt: number }> = {
  lstm_fwd: { fn: FN_LSTM_FWD, rowsAt: 5 },
  lstm_bwd: { fn: FN_LSTM_BWD, rowsAt: 7 },
  bias_add: { fn: FN_BIAS_ADD, rowsAt: 1 },
  softmax: { fn: FN_SOFTMAX, rowsAt: 1 },
  adam: { fn: FN_ADAM, rowsAt: -1 },
  scale: { fn: FN_SCALE, rowsAt: -1 },
  sumsq: { fn: FN_SUMSQ, rowsAt: -1 },
};

/**
 * Cuts len (rows or columns) into chunks of whole `unit`s, writing their boundaries to bounds[0..count]
 * and returning the count. The chunks shrink as the job goes, each about 1/(2·threads) of what is left and
 * at least half the size of an even split into `even` chunks: the threads then finish their last chunks
 * close together, so the caller waits less for a helper's (on M training at 2 threads its wait fell from
 * 5-7 % to 3.5-4 % of its work), while a column chunk still packs its own copy of A only a few times more.
 */
export function shrinkingChunks(len: number, unit: number, even: number, threads: number, bounds: Int32Array): number {
  const units = Math.ceil(len / unit);
  const least = Math.max(1, Math.floor(units / (2 * even)));
  let done = 0, c = 0;
  bounds[0] = 0;
  while (done < units) {
    const left = units - done;
    // About 5·threads chunks in all; past 50 threads the last chunk may have to take what is left.
    done += c === MAX_CHUNKS - 1 ? left : Math.min(left, Math.max(least, Math.ceil(left / (2 * threads))));
    bounds[++c] = Math.min(len, done * unit);
  }
  return c;
}

export interface WasmKernelOptions {
  /** Multiply-adds below which a product stays on one thread. */
  splitMacs?: number;
  /** Floats (rows × floats per row) below which an element-wise kernel or a weight's packing stays on one thread. */
  splitFloats?: number;
  /** Pause splitting while the helpers are not helping (default true); tests turn it off to always split. */
  adaptive?: boolean;
}

export interface WasmKernels extends Kernels {
  /** Resolves once every helper can take work; until then products run on the threads that are up. */
  readonly ready: Promise<void>;
  /** Counters for benchmarks and tests: products split between threads, and chunks the helpers computed. */
  readonly stats: PoolStats;
}

const NO_STATS: PoolStats = { splitJobs: 0, workerChunks: 0, chunksByWorker: [] };

export function createWasmKernels(threads: number, opts: WasmKernelOptions = {}): WasmKernels | null {
  const h = sharedHeap();
  if (!h) return null;
  const ex = new WebAssembly.Instance(h.module, { env: { memory: h.memory } }).exports as unknown as GemmExports;
  const { MR, NR } = KERNEL_SHAPE;
  const main = threadScratch(h);
  ex.set_tmp(main.tmp);
  const scratchA = new Scratch(h), scratchB = new Scratch(h), scratchC = new Scratch(h), scratchP = new Scratch(h);
  const splitMacs = opts.splitMacs ?? DEFAULT_SPLIT_MACS;
  const splitFloats = opts.splitFloats ?? DEFAULT_SPLIT_FLOATS;

  const nThreads = Math.min(MAX_THREADS, Math.max(1, Math.floor(threads)));
  const pool: JobPool | undefined = nThreads > 1 ? createJobPool(h, ex, main, nThreads - 1, opts.adaptive ?? true) : undefined;
  const maxChunks = Math.min(MAX_CHUNKS, chunksFor(nThreads));

  /** Splits len (rows or columns) into chunks of a multiple of `unit`, enough for every thread to share. */
  const bounds = new Int32Array(MAX_CHUNKS + 1);
  function runSplit(args: number[], len: number, unit: number, macs: number, run1: () => void): void {
    const even = Math.min(Math.ceil(len / unit), maxChunks, Math.max(2, Math.floor(macs / MIN_CHUNK_MACS)));
    if (even < 2) { run1(); return; }
    args[2] = 0; // chunk c is [bounds[c], bounds[c + 1])
    args[3] = len;
    pool!.run(args, shrinkingChunks(len, unit, even, nThreads, bounds), bounds);
  }

  function splitRows(kernel: RowKernel, args: readonly number[], rows: number, floatsPerRow: number): boolean {
    if (!pool || rows < 2 || rows * floatsPerRow < splitFloats || !pool.canSplit()) return false;
    const job = ROW_JOBS[kernel];
    const nChunks = Math.min(rows, maxChunks);
    const grain = Math.ceil(rows / nChunks);
    pool.run([job.fn, 0, grain, rows, 0, ...args.filter((_, i) => i !== job.rowsAt)], Math.ceil(rows / grain));
    return true;
  }

  /** Byte address of `a` in wasm memory, copying it into scratch first when it lives elsewhere. */
  function place(a: Float32Array, n: number, s: Scratch, copyIn: boolean): number {
    if (h!.owns(a)) return a.byteOffset;
    const addr = s.get(n);
    if (copyIn) h!.view(addr, n).set(a.subarray(0, n));
    return addr;
  }

  /** Floats gemm_pb's layout needs for op(B) K×N: N rounded up to whole NR panels, times K. */
  const packedSize = (K: number, N: number): number => Math.ceil(N / NR) * NR * K;

  function packB(transB: boolean, K: number, N: number, B: Float32Array, into?: PackedB): PackedB {
    if (B.length < K * N) throw new RangeError(`packB: B has ${B.length} elements, needs ${K}×${N}`);
    const n = packedSize(K, N);
    let data = into && into.data.length === n && h!.owns(into.data) ? into.data : undefined;
    if (!data) {
      if (into) h!.release(into.data);
      data = h!.view(h!.allocBytes(n, true), n);
    }
    const tB = transB ? 1 : 0, pB = place(B, K * N, scratchB, true), dst = data.byteOffset;
    const run1 = (): void => ex.pack_b_all(tB, pB, K, N, dst, 0, N);
    // A training step packs each recurrent weight (256×1024 floats in M) once: big enough to share.
    if (pool && K * N >= splitFloats && pool.canSplit()) runSplit([FN_PACK_B, 1, 0, 0, 0, tB, pB, K, N, dst], N, NR, K * N, run1);
    else run1();
    return { transB, K, N, data };
  }

  function gemm(transA: boolean, transB: boolean, M: number, N: number, K: number,
                A: Float32Array, B: Float32Array, C: Float32Array, accumulate: boolean, packedB?: PackedB): void {
    if (M <= 0 || N <= 0) return;
    if (C.length < M * N) throw new RangeError(`gemm: C has ${C.length} elements, needs ${M}×${N}`);
    if (K <= 0) {
      if (!accumulate) C.fill(0, 0, M * N);
      return;
    }
    if (A.length < M * K) throw new RangeError(`gemm: A has ${A.length} elements, needs ${M}×${K}`);
    if (B.length < K * N) throw new RangeError(`gemm: B has ${B.length} elements, needs ${K}×${N}`);
    const pA = place(A, M * K, scratchA, true);
    const pB = place(B, K * N, scratchB, true);
    const cOwned = h!.owns(C);
    const pC = place(C, M * N, scratchC, accumulate);
    const acc = accumulate ? 1 : 0;
    const macs = M * N * K;
    const split = pool !== undefined && macs >= splitMacs && pool.canSplit();

    if (M === 1 || N === 1) {
      // Matrix-vector: op(A) or op(B) is a contiguous vector whichever way it is transposed.
      let fn: number, args: number[], len: number;
      if (M === 1) {
        len = N;
        if (transB) { fn = FN_GEMV_T; args = [K, pB, K, pA, pC, acc]; } // C[n] = B[n,:]·a
        else { fn = FN_GEMV_N; args = [K, pA, pB, N, pC, acc]; } // C[n] = a·B[:,n]
      } else {
        len = M;
        if (!transA) { fn = FN_GEMV_T; args = [K, pA, K, pB, pC, acc]; } // C[m] = A[m,:]·b
        else { fn = FN_GEMV_N; args = [K, pB, pA, M, pC, acc]; } // C[m] = b·A[:,m]
      }
      const run1 = fn === FN_GEMV_T
        ? (): void => ex.gemv_t(args[0], args[1], args[2], args[3], args[4], args[5], 0, len)
        : (): void => ex.gemv_n(args[0], args[1], args[2], args[3], args[4], args[5], 0, len, main.sa);
      if (split) runSplit([fn, 1, 0, 0, 0, ...args], len, 32, macs, run1);
      else run1();
    } else {
      const tA = transA ? 1 : 0, tB = transB ? 1 : 0;
      const pre = packedB !== undefined && packedB.transB === transB && packedB.K === K && packedB.N === N;
      const run1 = pre
        ? (): void => ex.gemm_pb(tA, tB, M, N, K, pA, packedB.data.byteOffset, pC, acc, 0, M, 0, N, main.sa, main.sb)
        : (): void => ex.gemm(tA, tB, M, N, K, pA, pB, pC, acc, 0, M, 0, N, main.sa, main.sb);
      const args = [pre ? FN_GEMM_PB : FN_GEMM, 0, 0, 0, 0, tA, tB, M, N, K, pA, pre ? packedB.data.byteOffset : pB, pC, acc];
      // Columns when C is wide (each thread packs only its part of B), rows when it is tall.
      if (!split) run1();
      else if (N >= M) { args[1] = 1; runSplit(args, N, NR, macs, run1); }
      else runSplit(args, M, MR * 8, macs, run1);
    }
    if (!cOwned) C.set(h!.view(pC, M * N));
  }

  /**
   * Runs a recurrence job (args: the ARGS layout, kernel arguments from index 5) split by batch rows, in
   * chunksFor(threads) chunks of whole MR rows; false, with nothing run, when there are fewer such chunks than
   * threads (a small batch on many threads): each time step's products then split by columns instead.
   */
  function recurrenceJob(args: number[], B: number, macs: number): boolean {
    if (!pool || macs < splitMacs || Math.ceil(B / MR) < nThreads || !pool.canSplit()) return false;
    const grain = MR * Math.ceil(B / (maxChunks * MR));
    args[2] = grain;
    args[3] = B;
    pool.run(args, Math.ceil(B / grain));
    return true;
  }

  function lstmRecurrence(T: number, B: number, H: number, Hs: Float32Array, W: PackedB, G: Float32Array,
                          Cs: Float32Array, TC: Float32Array): boolean {
    const state = (T + 1) * B * H;
    if (T < 1 || W.K !== H || W.N !== 4 * H || !h!.owns(W.data)) return false;
    if (Hs.length < state || Cs.length < state || TC.length < T * B * H || G.length < T * B * 4 * H) return false;
    if (![Hs, G, Cs, TC].every((a) => h!.owns(a))) return false;
    return recurrenceJob([FN_LSTM_RECUR_FWD, 0, 0, 0, 0, W.transB ? 1 : 0, T, B, H, Hs.byteOffset, W.data.byteOffset,
      G.byteOffset, Cs.byteOffset, TC.byteOffset], B, T * B * 4 * H * H);
  }

  function lstmRecurrenceBackward(T: number, B: number, H: number, G: Float32Array, TC: Float32Array, Cs: Float32Array,
                                  dOut: Float32Array, dh: Float32Array, dc: Float32Array, dG: Float32Array, W: PackedB): boolean {
    const steps = T * B * H;
    if (T < 1 || W.K !== 4 * H || W.N !== H || W.transB || !h!.owns(W.data)) return false;
    if (G.length < 4 * steps || dG.length < 4 * steps || TC.length < steps || Cs.length < steps || dOut.length < steps) return false;
    if (dh.length < B * H || dc.length < B * H || ![G, TC, Cs, dOut, dh, dc, dG].every((a) => h!.owns(a))) return false;
    return recurrenceJob([FN_LSTM_RECUR_BWD, 0, 0, 0, 0, T, B, H, G.byteOffset, TC.byteOffset, Cs.byteOffset,
      dOut.byteOffset, dh.byteOffset, dc.byteOffset, dG.byteOffset, W.data.byteOffset], B, T * B * 4 * H * H);
  }

  return {
    name: 'wasm-simd',
    lstmRecurrence,
    lstmRecurrenceBackward,
    get threads() { return 1 + (pool?.helpers() ?? 0); },
    gemm,
    packB,
    freePacked: (p: PackedB) => h.release(p.data),
    alloc: (n: number) => h.view(h.allocBytes(n, true), n),
    free: (a: Float32Array) => h.release(a),
    pointwise: createPointwise(ex, {
      owns: (a) => h.owns(a), scratch: (n) => scratchP.get(n), alloc: (n) => h.allocBytes(n),
      view: (a, n) => h.view(a, n), view64: (a, n) => new Float64Array(h.memory.buffer, a, n), splitRows,
    }),
    ready: pool?.ready ?? Promise.resolve(),
    stats: pool?.stats ?? NO_STATS,
  };
}
