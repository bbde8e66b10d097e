/**
 * Splitting a product between threads must not change a single bit: threads split C by rows or columns,
 * never along K, so each element is summed in the same order whatever the thread count and chunking.
 * N = 2, 3, 4 and 7 run here on whatever the machine has (oversubscribed is fine for correctness).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { getKernels, naiveGemm } from '../../src/engine/kernels/index.ts';
import { MAX_CHUNKS, MAX_THREADS } from '../../src/engine/kernels/job-pool.ts';
import { createWasmKernels, DEFAULT_SPLIT_MACS, shrinkingChunks, type WasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';
import { SQUARES_BLOCK } from '../../src/engine/kernels/pointwise.ts';
import { sumSquares } from '../../src/training/optimizer.ts';
import { filled } from '../support/filled.ts';

const COUNTS = [2, 3, 4, 7];

// The engine's shapes (scaled down where the naive check would be slow): input projection, recurrent step,
// dWhh = dG^T·Hprev, dX = dG·W, decoder, matrix-vector both ways.
const shapes: Array<[string, boolean, boolean, number, number, number]> = [
  ['input projection', false, true, 640, 1024, 32],
  ['recurrent step', false, true, 32, 1024, 256],
  ['dWhh', true, false, 512, 256, 640],
  ['dX', false, false, 640, 256, 1024],
  ['decoder', false, true, 2048, 80, 256],
  ['odd sizes', true, true, 301, 203, 101],
  ['matvec W·x', false, true, 1, 1024, 256],
  ['matvec x·B', false, false, 1, 1030, 256],
  ['matrix times column', false, false, 999, 1, 257],
];

const same = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe.each(COUNTS)('%i threads', (n) => {
  const one = getKernels({ backend: 'wasm', threads: 1 });
  // Not adaptive: on a busy machine the default instance would stop splitting, and these tests need the split.
  const many: WasmKernels = createWasmKernels(n, { adaptive: false })!;
  beforeAll(() => many.ready);

  test('are really used when WebAssembly is available', () => {
    expect(many.name).toBe('wasm-simd');
    expect(many.threads).toBe(n);
    expect(many.stats.chunksByWorker).toHaveLength(n - 1);
  });

  test('share the work: every helper computes chunks of large products', () => {
    const A = many.alloc(384 * 384).fill(1), C = many.alloc(384 * 384);
    const before = many.stats.chunksByWorker;
    const helped = () => many.stats.chunksByWorker.every((c, i) => c > before[i]);
    // Helpers may be descheduled on a shared machine; each only has to take part eventually.
    const until = Date.now() + 60_000;
    while (!helped() && Date.now() < until) many.gemm(false, false, 384, 384, 384, A, A, C, false);
    expect(many.stats.chunksByWorker.map((c, i) => c - before[i]).filter((d) => d <= 0)).toEqual([]);
    expect(C.every((x) => x === 384)).toBe(true);
  });

  test('keep small products on the calling thread', () => {
    const before = many.stats.splitJobs;
    // One sampled character's embedding and decoder products at batch 1 (config M): below the threshold.
    const A = many.alloc(256), W = many.alloc(1024 * 256), C = many.alloc(1024);
    many.gemm(false, true, 1, 1024, 32, A, W, C, false);
    many.gemm(false, true, 1, 80, 256, A, W, C, false);
    expect(32 * 1024).toBeLessThan(DEFAULT_SPLIT_MACS);
    expect(many.stats.splitJobs).toBe(before);
    many.gemm(false, true, 1, 1024, 256, A, W, C, false); // 262k multiply-adds: split
    expect(many.stats.splitJobs).toBe(before + 1);
  });

  test.each(shapes)('give bitwise the same %s as one thread', (_name, tA, tB, M, N, K) => {
    for (const acc of [false, true]) {
      const A = filled(M * K, 1), B = filled(K * N, 2), C0 = filled(M * N, 3);
      const c1 = Float32Array.from(C0), cn = Float32Array.from(C0);
      const jobs = many.stats.splitJobs;
      one.gemm(tA, tB, M, N, K, A, B, c1, acc);
      many.gemm(tA, tB, M, N, K, A, B, cn, acc);
      expect(many.stats.splitJobs).toBe(jobs + 1);
      expect(same(cn, c1)).toBe(true);
      // and both are right, not merely equal
      const want = Float64Array.from(C0);
      naiveGemm(tA, tB, M, N, K, A, B, want, acc);
      let worst = 0, scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(cn[i] - want[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
      expect(worst).toBeLessThan(1e-4 * (scale + Math.sqrt(K)));
    }
  });

  test('stay bitwise identical over a long run of back-to-back products of changing shapes', async () => {
    // Jobs follow each other faster than helpers wake: a late helper must never mix two jobs' arguments.
    // Every product is split (splitMacs 0), down to two chunks of a tiny one.
    const always = createWasmKernels(n, { adaptive: false, splitMacs: 0 })!;
    await always.ready;
    let seed = 7 + n;
    const next = (k: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return 1 + (seed % k);
    };
    for (let round = 0; round < 300; round++) {
      const M = next(3) === 1 ? 1 : next(96), N = next(300), K = next(200);
      const tA = next(2) === 1, tB = next(2) === 1, acc = next(2) === 1;
      const A = filled(M * K, round), B = filled(K * N, round + 1), C0 = filled(M * N, round + 2);
      const c1 = Float32Array.from(C0), cn = Float32Array.from(C0);
      one.gemm(tA, tB, M, N, K, A, B, c1, acc);
      always.gemm(tA, tB, M, N, K, A, B, cn, acc);
      if (!same(cn, c1)) throw new Error(`round ${round}: ${M}×${N}×${K} tA=${tA} tB=${tB} acc=${acc} differs between 1 and ${n} threads`);
    }
    expect(always.stats.splitJobs).toBeGreaterThan(100);
  });

  test('give bitwise the same pre-packed products (gemm_pb) as one thread', () => {
    // The per-step products of training with a packed recurrent weight: h·Whhᵀ forward, dG·Whh backward,
    // and odd shapes with partial register tiles at the chunk edges.
    for (const [tB, M, N, K] of [[true, 32, 1024, 256], [false, 32, 256, 1024], [true, 131, 200, 77], [false, 117, 72, 301]] as const) {
      const W = filled(K * N, 5), A = filled(M * K, 6);
      const p1 = one.packB!(tB, K, N, one.alloc(K * N).fill(0).map((_, i) => W[i]));
      const pn = many.packB!(tB, K, N, many.alloc(K * N).fill(0).map((_, i) => W[i]));
      const c1 = one.alloc(M * N), cn = many.alloc(M * N);
      const jobs = many.stats.splitJobs;
      one.gemm(false, tB, M, N, K, A, W, c1, false, p1);
      many.gemm(false, tB, M, N, K, A, W, cn, false, pn);
      expect(many.stats.splitJobs).toBe(jobs + 1);
      expect(same(cn, c1)).toBe(true);
      expect(cn.some((x) => x !== 0)).toBe(true);
    }
  });
});

describe('chunks of a split product', () => {
  // [len, unit, even chunks, threads]: M's forward and backward recurrent products and L's forward at 2
  // threads, a tall product split by rows, odd lengths, and a large job on 32 threads.
  const cases: Array<[number, number, number, number]> = [[1024, 16, 8, 2], [256, 16, 8, 2], [2048, 16, 8, 2], [6400, 16, 8, 2],
    [1030, 32, 8, 3], [1000, 16, 28, 7], [65536, 16, 128, 32], [17, 16, 2, 2]];

  test.each(cases)('len %i in units of %i (%i even chunks, %i threads): whole units that cover it once, largest first', (len, unit, even, threads) => {
    const bounds = new Int32Array(MAX_CHUNKS + 1);
    const count = shrinkingChunks(len, unit, even, threads, bounds);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(MAX_CHUNKS);
    expect(bounds[0]).toBe(0);
    expect(bounds[count]).toBe(len);
    const sizes = Array.from({ length: count }, (_, c) => bounds[c + 1] - bounds[c]);
    for (let c = 0; c < count; c++) {
      expect(sizes[c]).toBeGreaterThan(0);
      if (c < count - 1) expect(bounds[c + 1] % unit).toBe(0);
      if (c < count - 1) expect(sizes[c + 1]).toBeLessThanOrEqual(sizes[c]);
    }
    // The last chunks are smaller than an even split's, the first ones larger.
    if (count > 2) {
      expect(sizes[count - 2]).toBeLessThan(len / even);
      expect(sizes[0]).toBeGreaterThan(len / even);
    }
  });

  test('a large job on the most threads there are stays within the chunks a job may have, and covers it once', () => {
    const bounds = new Int32Array(MAX_CHUNKS + 1);
    const count = shrinkingChunks(65536, 16, MAX_CHUNKS, MAX_THREADS, bounds);
    expect(count).toBeLessThanOrEqual(MAX_CHUNKS);
    expect(bounds[count]).toBe(65536);
    for (let c = 0; c < count; c++) expect(bounds[c + 1]).toBeGreaterThan(bounds[c]);
  });

  test('M\'s recurrent step at 2 threads: 9 chunks from 256 columns down to 64 (an even split would be 8 of 128)', () => {
    const bounds = new Int32Array(MAX_CHUNKS + 1);
    const count = shrinkingChunks(1024, 16, 8, 2, bounds);
    expect(Array.from({ length: count }, (_, c) => bounds[c + 1] - bounds[c])).toEqual([256, 192, 144, 112, 80, 64, 64, 64, 48]);
  });
});

describe.each(COUNTS)('%i threads, element-wise kernels split by rows', (n) => {
  const one = getKernels({ backend: 'wasm', threads: 1 });
  const always = createWasmKernels(n, { adaptive: false, splitFloats: 0 })!;
  beforeAll(() => always.ready);
  /** Copies `a` into kernel memory of `k` (the kernels only run on their own memory). */
  const own = (k: typeof one, a: Float32Array): Float32Array => { const b = k.alloc(a.length); b.set(a); return b; };

  // Odd row counts and a width that is not a multiple of the SIMD lanes reach every chunk boundary and tail.
  test.each([[1, 8], [7, 13], [32, 64], [33, 5]])('LSTM step forward and backward, and bias rows: B=%i, H=%i, the bits of one thread', (B, H) => {
    const run = (k: typeof one) => {
      const g = own(k, filled(4 * B * H, 11)), cPrev = own(k, filled(B * H, 12)), cNext = k.alloc(B * H), tc = k.alloc(B * H), hNext = k.alloc(B * H);
      expect(k.pointwise!.lstmForward(g, cPrev, cNext, tc, hNext, B, H)).toBe(true);
      const dOut = own(k, filled(B * H, 13)), dh = own(k, filled(B * H, 14)), dc = own(k, filled(B * H, 15)), dG = k.alloc(4 * B * H);
      expect(k.pointwise!.lstmBackward(g, tc, cPrev, dOut, dh, dc, dG, B, H)).toBe(true);
      const M = own(k, filled(B * 3 * H, 16));
      expect(k.pointwise!.addBias(M, B, 3 * H, own(k, filled(3 * H, 17)))).toBe(true);
      return [g, cNext, tc, hNext, dG, dc, M];
    };
    const jobs = always.stats.splitJobs;
    const want = run(one), got = run(always);
    expect(always.stats.splitJobs - jobs).toBe(B > 1 ? 3 : 0); // one row stays on one thread
    got.forEach((a, i) => expect(same(a, want[i]), `output ${i}`).toBe(true));
    expect(want[4].some((x) => x !== 0)).toBe(true);
  });

  // Flat lengths around the block of the split (SQUARES_BLOCK): one short block, a short last block, odd tails.
  test.each([3, 4097, 3 * SQUARES_BLOCK + 5])('Adam, gradient scaling and the sum of squares over %i floats: the bits of one thread', (len) => {
    const run = (k: typeof one) => {
      const p = own(k, filled(len, 21)), g = own(k, filled(len, 22)), m = own(k, filled(len, 23)), v = own(k, filled(len, 24).map(Math.abs));
      expect(k.pointwise!.adam(p, g, m, v, 3e-3, 0.9, 0.999, 0.19, 0.002, 1e-8)).toBe(true);
      expect(k.pointwise!.scaleInPlace(g, 0.3141592653589793)).toBe(true);
      return { arrays: [p, m, v, g], sum: k.pointwise!.sumSquares(g) };
    };
    const jobs = always.stats.splitJobs;
    const want = run(one), got = run(always);
    expect(always.stats.splitJobs - jobs).toBe(len > SQUARES_BLOCK ? 3 : 0); // one block stays on one thread
    got.arrays.forEach((a, i) => expect(same(a, want.arrays[i]), `output ${i}`).toBe(true));
    expect(got.sum).toBe(want.sum);
    expect(got.sum).toBe(sumSquares(Float32Array.from(want.arrays[3])));
  });

  test.each([[1, 80], [7, 13], [2048, 80]])('softmax rows: N=%i, V=%i, the statistics and gradients of one thread', (N, V) => {
    const run = (k: typeof one) => {
      const logits = own(k, filled(N * V, 31).map((x) => 8 * x)), grad = k.alloc(N * V);
      const stats = Float32Array.from(k.pointwise!.softmaxRows(logits, N, V, grad, 1 / N)!);
      return [stats, grad];
    };
    const jobs = always.stats.splitJobs;
    const want = run(one), got = run(always);
    expect(always.stats.splitJobs - jobs).toBe(N > 1 ? 1 : 0);
    got.forEach((a, i) => expect(same(a, want[i]), `output ${i}`).toBe(true));
  });

  // Recurrent weights packed once per training step for gemm_pb: two KC-deep slices, partial last panels.
  test.each([[true, 256, 1024], [false, 1024, 256], [true, 300, 203], [false, 77, 45]])('packing op(B) for gemm_pb (transB %s, K=%i, N=%i) split by panels: the bytes of one thread', (tB, K, N) => {
    const W = filled(K * N, 51);
    const jobs = always.stats.splitJobs;
    const p1 = one.packB!(tB, K, N, own(one, W)), pn = always.packB!(tB, K, N, own(always, W));
    expect(always.stats.splitJobs - jobs).toBe(1);
    expect(same(pn.data, p1.data)).toBe(true);
    expect(pn.data.some((x) => x !== 0)).toBe(true);
  });

  // A pass's recurrence as one job split by batch rows: M's and L's shapes (L's weight is two KC-deep slices
  // forward, M's four backward), odd batches (just enough rows for n threads; a last chunk of a single row)
  // and hidden sizes off the panels.
  const RECURRENCES = [[32, 256], [64, 512], [2 * n - 1, 48], [2 * n + 1, 272], [4 * n - 1, 20]];
  const recurrence = (k: typeof one, B: number, H: number, T: number) => {
    const W = own(k, filled(4 * H * H, 71));
    const Hs = k.alloc((T + 1) * B * H), Cs = k.alloc((T + 1) * B * H), TC = k.alloc(T * B * H);
    Hs.set(filled(B * H, 72)); Cs.set(filled(B * H, 73));
    const G = own(k, filled(T * B * 4 * H, 74)), dOut = own(k, filled(T * B * H, 75));
    const dh = own(k, filled(B * H, 76)), dc = own(k, filled(B * H, 77)), dG = k.alloc(T * B * 4 * H);
    return { W, Hs, Cs, TC, G, dOut, dh, dc, dG, fwd: k.packB!(true, H, 4 * H, W), bwd: k.packB!(false, 4 * H, H, W) };
  };
  const rows = (a: Float32Array, t: number, n: number) => a.subarray(t * n, (t + 1) * n);

  test.each(RECURRENCES)('an LSTM forward recurrence (lstmRecurrence), B=%i, H=%i: one job, the bits of the per-step calls on one thread', (B, H) => {
    const T = 3, split = createWasmKernels(n, { adaptive: false, splitMacs: 0 })!;
    const want = recurrence(one, B, H, T);
    expect(one.lstmRecurrence!(T, B, H, want.Hs, want.fwd, want.G, want.Cs, want.TC)).toBe(false); // one thread
    for (let t = 0; t < T; t++) {
      const g = rows(want.G, t, B * 4 * H);
      one.gemm(false, true, B, 4 * H, H, rows(want.Hs, t, B * H), want.W, g, true, want.fwd);
      one.pointwise!.lstmForward(g, rows(want.Cs, t, B * H), rows(want.Cs, t + 1, B * H), rows(want.TC, t, B * H), rows(want.Hs, t + 1, B * H), B, H);
    }
    const got = recurrence(split, B, H, T), jobs = split.stats.splitJobs;
    expect(split.lstmRecurrence!(T, B, H, got.Hs, got.fwd, got.G, got.Cs, got.TC)).toBe(true);
    expect(split.stats.splitJobs - jobs).toBe(1);
    for (const k of ['Hs', 'Cs', 'TC', 'G'] as const) expect(same(got[k], want[k]), k).toBe(true);
    expect(want.Hs.subarray(T * B * H).some((x) => x !== 0)).toBe(true);
  });

  test.each(RECURRENCES)('an LSTM backward recurrence (lstmRecurrenceBackward), B=%i, H=%i: one job, the bits of the per-step calls on one thread', (B, H) => {
    const T = 3, split = createWasmKernels(n, { adaptive: false, splitMacs: 0 })!;
    const want = recurrence(one, B, H, T);
    expect(one.lstmRecurrenceBackward!(T, B, H, want.G, want.TC, want.Cs, want.dOut, want.dh, want.dc, want.dG, want.bwd)).toBe(false);
    for (let t = T - 1; t >= 0; t--) {
      const dG = rows(want.dG, t, B * 4 * H);
      one.pointwise!.lstmBackward(rows(want.G, t, B * 4 * H), rows(want.TC, t, B * H), rows(want.Cs, t, B * H), rows(want.dOut, t, B * H), want.dh, want.dc, dG, B, H);
      one.gemm(false, false, B, H, 4 * H, dG, want.W, want.dh, false, want.bwd);
    }
    const got = recurrence(split, B, H, T), jobs = split.stats.splitJobs;
    expect(split.lstmRecurrenceBackward!(T, B, H, got.G, got.TC, got.Cs, got.dOut, got.dh, got.dc, got.dG, got.bwd)).toBe(true);
    expect(split.stats.splitJobs - jobs).toBe(1);
    for (const k of ['dG', 'dh', 'dc'] as const) expect(same(got[k], want[k]), k).toBe(true);
    expect(want.dh.some((x) => x !== 0) && want.dc.some((x) => x !== 0)).toBe(true);
  });

  test('a recurrence splits only where every thread gets whole rows, and declines foreign arrays and mismatched weights, touching nothing', () => {
    const k = createWasmKernels(n, { adaptive: false, splitMacs: 0 })!;
    const T = 2, H = 16, enough = 2 * n; // the kernels' MR is 2 rows: n threads need 2n rows
    for (const [B, splits] of [[enough, true], [enough - 2, false]] as const) {
      const r = recurrence(k, B, H, T), G = Float32Array.from(r.G), dh = Float32Array.from(r.dh), jobs = k.stats.splitJobs;
      expect(k.lstmRecurrence!(T, B, H, r.Hs, r.fwd, r.G, r.Cs, r.TC), `B=${B}`).toBe(splits);
      expect(k.lstmRecurrenceBackward!(T, B, H, r.G, r.TC, r.Cs, r.dOut, r.dh, r.dc, r.dG, r.bwd), `B=${B}`).toBe(splits);
      expect(k.stats.splitJobs - jobs).toBe(splits ? 2 : 0);
      if (!splits) expect(same(r.G, G) && same(r.dh, dh)).toBe(true);
    }
    const r = recurrence(k, enough, H, T), jobs = k.stats.splitJobs;
    expect(k.lstmRecurrence!(T, enough, H, Float32Array.from(r.Hs), r.fwd, r.G, r.Cs, r.TC)).toBe(false);
    expect(k.lstmRecurrence!(T, enough, H, r.Hs, r.bwd, r.G, r.Cs, r.TC)).toBe(false);
    expect(k.lstmRecurrenceBackward!(T, enough, H, r.G, r.TC, r.Cs, r.dOut, r.dh, r.dc, r.dG, r.fwd)).toBe(false);
    expect(k.lstmRecurrenceBackward!(T + 1, enough, H, r.G, r.TC, r.Cs, r.dOut, r.dh, r.dc, r.dG, r.bwd)).toBe(false); // arrays too short
    expect(k.stats.splitJobs).toBe(jobs);
  });

  test('keep a sampled token\'s cell step (batch 1) and small batches on the calling thread by default', () => {
    const k = createWasmKernels(n, { adaptive: false })!;
    const H = 256, jobs = k.stats.splitJobs;
    for (const B of [1, 8]) {
      const g = k.alloc(4 * B * H), s = () => k.alloc(B * H);
      k.pointwise!.lstmForward(g, s(), s(), s(), s(), B, H);
    }
    expect(k.stats.splitJobs).toBe(jobs);
    const B = 32, g = k.alloc(4 * B * H), s = () => k.alloc(B * H); // a training batch of config M
    k.pointwise!.lstmForward(g, s(), s(), s(), s(), B, H);
    expect(k.stats.splitJobs).toBe(jobs + 1);
  });
});

describe('getKernels', () => {
  test('gives every thread count its own instance, up to the maximum', () => {
    expect(getKernels({ backend: 'wasm', threads: 3 }).threads).toBe(3);
    expect(getKernels({ backend: 'wasm', threads: 3 })).toBe(getKernels({ backend: 'wasm', threads: 3 }));
    expect(getKernels({ backend: 'wasm', threads: 1 }).threads).toBe(1);
  });
});

test('helpers never keep the process alive: it exits as soon as its work is done', () => {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'exit-child.ts');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, '7'], { encoding: 'utf8', timeout: 90_000 });
  expect(r.signal).toBe(null); // not killed by the timeout
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim());
  expect(out.threads).toBe(7);
  expect(out.splitJobs).toBeGreaterThan(0);
  expect(Date.now() - t0).toBeLessThan(90_000);
});
