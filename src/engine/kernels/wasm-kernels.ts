/**
 * The WebAssembly SIMD backend: the generated kernels (gemm-wasm.generated.ts) over one shared, growable
 * WebAssembly.Memory, optionally with a second thread (a worker_thread instantiating the same module on the
 * same memory) that computes part of C.
 *
 * Why shared memory: growth of a shared memory never detaches existing views, so alloc() can hand out
 * Float32Arrays that stay valid forever, and the worker sees the very same bytes without copies.
 * Threads split C by rows or columns, never K, so results are bitwise identical for any thread count.
 */
import { Worker } from 'node:worker_threads';
import type { Kernels, PackedB } from './index.ts';
import { GEMM_WASM_BASE64, KERNEL_SHAPE } from './gemm-wasm.generated.ts';
import { createPointwise } from './pointwise.ts';
import type { PointwiseExports } from './pointwise-wat.ts';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the whole 32-bit address space, reserved but not committed
const ALIGN = 64;

/** Products smaller than this many multiply-adds run on one thread: waking the worker costs more. */
export const DEFAULT_SPLIT_MACS = 1 << 17;
/** Consecutive unhelpful parallel jobs before products stay on one thread for a pause. */
const STRIKES = 3, MIN_PAUSE_MS = 50, MAX_PAUSE_MS = 2000;
/** Chunks per job: enough that a busy or late worker costs the caller at most one chunk of waiting. */
const CHUNKS = 8;

// Control block (Int32 slots) shared with the worker. A job is cut into chunks (fixed ranges of C's rows or
// columns); both threads claim chunks with compare-and-swap on CLAIM, which carries the job's sequence number
// in its high half so a late worker can never claim a chunk of a job that is over. When the worker is not
// scheduled (the machine is shared), the caller simply claims every chunk itself instead of waiting.
const SEQ = 0, CLAIM = 1, DONE = 2, READY = 3, ERR = 4, ARGS = 8, NARGS = 16;
// ARGS layout: [fn, dim (0 rows, 1 columns), grain, len, nChunks, ...kernel arguments before the range]
const FN_GEMM = 0, FN_GEMV_T = 1, FN_GEMV_N = 2, FN_GEMM_PB = 3;

interface Exports extends PointwiseExports {
  set_tmp(addr: number): void;
  gemm(ta: number, tb: number, M: number, N: number, K: number, A: number, B: number, C: number, acc: number,
       m0: number, m1: number, n0: number, n1: number, sa: number, sb: number): void;
  gemm_pb(ta: number, tb: number, M: number, N: number, K: number, A: number, PB: number, C: number, acc: number,
          m0: number, m1: number, n0: number, n1: number, sa: number, sb: number): void;
  pack_b_all(tb: number, B: number, K: number, N: number, dst: number): void;
  gemv_t(K: number, W: number, ldw: number, x: number, y: number, acc: number, n0: number, n1: number): void;
  /** t: scratch for GEMV_N_BLOCK running sums. */
  gemv_n(K: number, x: number, B: number, ldb: number, y: number, acc: number, n0: number, n1: number, t: number): void;
}

/** How long (in polls of a shared word) a waiting thread spins before sleeping in Atomics.wait. */
const SPIN = 20000;

/** The chunk runner, as source so the worker (an eval'd script) and the caller run the very same code. */
const RUN_CHUNK = `function runChunk(ex, a, c, sa, sb) {
  const dim = a[1], grain = a[2], len = a[3];
  const r0 = c * grain, r1 = Math.min(len, r0 + grain);
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
  }
}
/** Next chunk of job seq, or -1 when the job is over or fully claimed. */
function claim(I, seq) {
  const tag = (seq & 0x7fff) << 16;
  for (;;) {
    const w = Atomics.load(I, ${CLAIM});
    if ((w & 0x7fff0000) !== tag || (w & 0xffff) >= I[${ARGS + 4}]) return -1;
    if (Atomics.compareExchange(I, ${CLAIM}, w, w + 1) === w) return w & 0xffff;
  }
}`;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, ctrl, tmp, sa, sb, spin } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
ex.set_tmp(tmp);
const I = new Int32Array(memory.buffer, ctrl, ${ARGS + NARGS});
${RUN_CHUNK}
Atomics.store(I, ${READY}, 1);
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  // Products arrive in bursts (one per time step), so spin a little before sleeping.
  for (let i = 0; i < spin && Atomics.load(I, ${SEQ}) === seen; i++);
  Atomics.wait(I, ${SEQ}, seen);
  seen = Atomics.load(I, ${SEQ});
  let a = null;
  for (let c = claim(I, seen); c >= 0; c = claim(I, seen)) {
    // Arguments are read only after a successful claim: the caller keeps them until every claimed chunk is done.
    a ??= I.slice(${ARGS}, ${ARGS + NARGS});
    try { runChunk(ex, a, c, sa, sb); } catch (e) { Atomics.store(I, ${ERR}, 1); }
    Atomics.add(I, ${DONE}, 1);
    Atomics.notify(I, ${DONE});
  }
}
`;

const { runChunk, claim } = new Function(`${RUN_CHUNK}; return { runChunk, claim };`)() as {
  runChunk(ex: Exports, a: Int32Array | number[], c: number, sa: number, sb: number): void;
  claim(I: Int32Array, seq: number): number;
};

export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
  } catch {
    return false;
  }
}

let bytesCache: Uint8Array<ArrayBuffer> | undefined;
function wasmBytes(): Uint8Array<ArrayBuffer> {
  bytesCache ??= new Uint8Array(Buffer.from(GEMM_WASM_BASE64, 'base64'));
  return bytesCache;
}

/** One memory and one module for the process; each Kernels instance (thread count) gets its own scratch. */
class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  private top = 1024;
  /** Every SharedArrayBuffer object the memory has had: views made before a growth keep the old object. */
  private readonly buffers = new Set<ArrayBufferLike>();

  constructor() {
    this.module = new WebAssembly.Module(wasmBytes());
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES, shared: true });
    this.buffers.add(this.memory.buffer);
  }

  /** Blocks handed out by allocBytes that may be freed: address → rounded size in bytes. */
  private readonly live = new Map<number, number>();
  /** Freed blocks by rounded size, reused only for requests of exactly that size (state buffers recur). */
  private readonly free = new Map<number, number[]>();

  /** Byte address of n zeroed floats: a freed block of the same size, else fresh (still zero) memory. */
  allocBytes(n: number, freeable = false): number {
    const bytes = Math.max(ALIGN, Math.ceil((n * 4) / ALIGN) * ALIGN);
    const reuse = this.free.get(bytes)?.pop();
    if (reuse !== undefined) {
      new Uint8Array(this.memory.buffer, reuse, bytes).fill(0);
      this.live.set(reuse, bytes);
      return reuse;
    }
    const addr = this.top;
    const end = addr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const need = Math.ceil((end - have) / PAGE);
      // Grow at least by a quarter so repeated small allocations do not grow page by page.
      const pages = Math.max(need, Math.ceil(have / PAGE / 4));
      const current = have / PAGE;
      const grant = Math.min(pages, MAX_PAGES - current);
      if (grant < need) throw new RangeError(`kernel memory exhausted: cannot allocate ${n} floats`);
      this.memory.grow(grant);
      this.buffers.add(this.memory.buffer);
    }
    this.top = end;
    if (freeable) this.live.set(addr, bytes);
    return addr;
  }

  /** Returns a block from alloc() for reuse; anything else (a subarray, a foreign array, a second free) is ignored. */
  release(a: Float32Array): void {
    if (!this.owns(a)) return;
    const bytes = this.live.get(a.byteOffset);
    if (bytes === undefined || Math.max(ALIGN, Math.ceil((a.length * 4) / ALIGN) * ALIGN) !== bytes) return;
    this.live.delete(a.byteOffset);
    let list = this.free.get(bytes);
    if (!list) this.free.set(bytes, (list = []));
    list.push(a.byteOffset);
  }

  view(addr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, addr, n);
  }

  owns(a: Float32Array): boolean {
    return this.buffers.has(a.buffer);
  }
}

let heap: WasmHeap | undefined;

/** A growable region of wasm memory to copy foreign arrays into. */
class Scratch {
  private addr = 0;
  private size = 0;
  constructor(private readonly h: WasmHeap) {}
  get(n: number): number {
    if (n > this.size) {
      this.size = Math.max(n, Math.ceil(this.size * 1.5));
      this.addr = this.h.allocBytes(this.size);
    }
    return this.addr;
  }
}

interface ThreadScratch { tmp: number; sa: number; sb: number }

function threadScratch(h: WasmHeap): ThreadScratch {
  const { MR, NR, KC, MC, NC } = KERNEL_SHAPE;
  return {
    tmp: h.allocBytes(MR * NR),
    sa: h.allocBytes(Math.max(MC * KC, KERNEL_SHAPE.gemvNBlock)), // also gemv_n's running sums
    sb: h.allocBytes((NC + NR) * KC),
  };
}

export interface WasmKernelOptions {
  /** Multiply-adds below which a product stays on one thread. */
  splitMacs?: number;
  /** Pause splitting while the worker is not helping (default true); tests turn it off to always split. */
  adaptive?: boolean;
}

export interface WasmKernels extends Kernels {
  /** Resolves once the worker can take work; until then every product runs on the calling thread. */
  readonly ready: Promise<void>;
  /** Counters for benchmarks and tests: products split between threads, and chunks the worker computed. */
  readonly stats: { splitJobs: number; workerChunks: number };
}

export function createWasmKernels(threads: number, opts: WasmKernelOptions = {}): WasmKernels | null {
  if (!wasmSimdSupported()) return null;
  try {
    heap ??= new WasmHeap();
  } catch {
    return null; // e.g. shared memory unavailable
  }
  const h = heap;
  const ex = new WebAssembly.Instance(h.module, { env: { memory: h.memory } }).exports as unknown as Exports;
  const { MR, NR } = KERNEL_SHAPE;
  const main = threadScratch(h);
  ex.set_tmp(main.tmp);
  const scratchA = new Scratch(h), scratchB = new Scratch(h), scratchC = new Scratch(h), scratchP = new Scratch(h);
  const splitMacs = opts.splitMacs ?? DEFAULT_SPLIT_MACS;
  const adaptive = opts.adaptive ?? true;
  const stats = { splitJobs: 0, workerChunks: 0 };

  const nThreads = Math.min(2, Math.max(1, threads));
  let ready = Promise.resolve();
  let helper: { scratch: ThreadScratch; ctrl: Int32Array; seq: number } | undefined;
  if (nThreads > 1) {
    const scratch = threadScratch(h);
    const ctrlAddr = h.allocBytes(ARGS + NARGS);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: h.module, memory: h.memory, ctrl: ctrlAddr, tmp: scratch.tmp, sa: scratch.sa, sb: scratch.sb, spin: SPIN,
      },
    });
    worker.unref();
    helper = { scratch, ctrl: new Int32Array(h.memory.buffer, ctrlAddr, ARGS + NARGS), seq: 0 };
    ready = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      // A worker that cannot start leaves gemm on one thread; results are the same, only slower.
      worker.once('error', () => { helper = undefined; resolve(); });
    });
  }

  /**
   * Runs a job of nChunks chunks on both threads: the caller claims chunks too, so it only ever waits for
   * chunks the worker has actually started.
   */
  function inParallel(args: number[], nChunks: number): void {
    const w = helper!;
    const I = w.ctrl;
    const seq = (w.seq = (w.seq % 0x7fff) + 1); // 1..32767: fits the high half of CLAIM
    for (let i = 0; i < args.length; i++) I[ARGS + i] = args[i];
    I[ARGS + 4] = nChunks;
    Atomics.store(I, DONE, 0);
    Atomics.store(I, CLAIM, seq << 16);
    Atomics.store(I, SEQ, seq);
    Atomics.notify(I, SEQ);
    const t0 = performance.now();
    let mine = 0;
    for (let c = claim(I, seq); c >= 0; c = claim(I, seq)) {
      runChunk(ex, args, c, main.sa, main.sb);
      mine++;
    }
    const theirs = nChunks - mine;
    const t1 = performance.now();
    for (let i = 0; i < SPIN && Atomics.load(I, DONE) !== theirs; i++);
    for (let d = Atomics.load(I, DONE); d !== theirs; d = Atomics.load(I, DONE)) Atomics.wait(I, DONE, d);
    if (Atomics.load(I, ERR)) throw new Error('gemm worker failed');
    stats.splitJobs++;
    stats.workerChunks += theirs;
    if (adaptive) judge(theirs, t1 - t0, performance.now() - t1);
  }

  // On a shared machine the second core may be busy: the worker then helps little and the caller waits for
  // the chunks it took. After a few such jobs in a row, products stay on one thread for a while (doubling
  // up to MAX_PAUSE_MS while it lasts), then the worker is tried again. Only speed depends on this.
  let strikes = 0, pauseMs = MIN_PAUSE_MS, pausedUntil = 0;
  function judge(theirs: number, workMs: number, waitMs: number): void {
    if (theirs > 0 && waitMs <= 0.25 * (workMs + waitMs)) {
      strikes = 0;
      pauseMs = MIN_PAUSE_MS;
    } else if (++strikes >= STRIKES) {
      strikes = 0;
      pausedUntil = performance.now() + pauseMs;
      pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
    }
  }
  const paused = (): boolean => pausedUntil !== 0 && performance.now() < pausedUntil;

  /** Splits len (rows or columns) into chunks of a multiple of `unit`, enough for both threads to share. */
  function runSplit(args: number[], len: number, unit: number, run1: () => void): void {
    const units = Math.ceil(len / unit);
    const nChunks = Math.min(units, CHUNKS);
    if (nChunks < 2) { run1(); return; }
    const grain = Math.ceil(units / nChunks) * unit;
    args[2] = grain;
    args[3] = len;
    inParallel(args, Math.ceil(len / grain));
  }

  const workerReady = (): boolean => helper !== undefined && Atomics.load(helper.ctrl, READY) === 1;

  /** Byte address of `a` in wasm memory, copying it into scratch first when it lives elsewhere. */
  function place(a: Float32Array, n: number, s: Scratch, copyIn: boolean): number {
    if (h.owns(a)) return a.byteOffset;
    const addr = s.get(n);
    if (copyIn) h.view(addr, n).set(a.subarray(0, n));
    return addr;
  }

  /** Floats gemm_pb's layout needs for op(B) K×N: N rounded up to whole NR panels, times K. */
  const packedSize = (K: number, N: number): number => Math.ceil(N / NR) * NR * K;

  function packB(transB: boolean, K: number, N: number, B: Float32Array, into?: PackedB): PackedB {
    if (B.length < K * N) throw new RangeError(`packB: B has ${B.length} elements, needs ${K}×${N}`);
    const n = packedSize(K, N);
    let data = into && into.data.length === n && h.owns(into.data) ? into.data : undefined;
    if (!data) {
      if (into) h.release(into.data);
      data = h.view(h.allocBytes(n, true), n);
    }
    ex.pack_b_all(transB ? 1 : 0, place(B, K * N, scratchB, true), K, N, data.byteOffset);
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
    const cOwned = h.owns(C);
    const pC = place(C, M * N, scratchC, accumulate);
    const acc = accumulate ? 1 : 0;
    const split = nThreads > 1 && M * N * K >= splitMacs && workerReady() && !paused();

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
      if (split) runSplit([fn, 1, 0, 0, 0, ...args], len, 32, run1);
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
      else if (N >= M) { args[1] = 1; runSplit(args, N, NR, run1); }
      else runSplit(args, M, MR * 8, run1);
    }
    if (!cOwned) C.set(h.view(pC, M * N));
  }

  return {
    name: 'wasm-simd',
    get threads() { return helper ? 2 : 1; },
    gemm,
    packB,
    freePacked: (p: PackedB) => h.release(p.data),
    alloc: (n: number) => h.view(h.allocBytes(n, true), n),
    free: (a: Float32Array) => h.release(a),
    pointwise: createPointwise(ex, { owns: (a) => h.owns(a), scratch: (n) => scratchP.get(n), view: (a, n) => h.view(a, n) }),
    ready,
    stats,
  };
}
