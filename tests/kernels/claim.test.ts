// Claiming a chunk of a split job: every chunk exactly once, and never a chunk of a job that is over —
// in particular not while the caller is already writing the next job's arguments into the control block.
import { describe, expect, test } from 'vitest';
import { claim, claimWord, CLAIM, MAX_CHUNKS, SLOTS } from '../../src/engine/kernels/job-pool.ts';

function controlBlock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * SLOTS));
}

describe('claim', () => {
  test('hands out chunks 0 to n − 1 of the open job once each, then nothing', () => {
    const I = controlBlock();
    Atomics.store(I, CLAIM, claimWord(5, 8));
    expect(Array.from({ length: 10 }, () => claim(I, 5))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, -1, -1]);
  });

  test('gives a helper that saw an earlier job nothing of the job that is open now', () => {
    const I = controlBlock();
    Atomics.store(I, CLAIM, claimWord(6, 8));
    expect(claim(I, 5)).toBe(-1);
    expect(claim(I, 6)).toBe(0);
  });

  test('gives nothing of a fully claimed job while every other slot changes (the next job being written)', () => {
    const I = controlBlock();
    Atomics.store(I, CLAIM, claimWord(5, 8));
    for (let c = 0; c < 8; c++) claim(I, 5);
    // The caller moves on: arguments, chunk count, bounds, counters all take new values before it opens
    // job 6. A late helper of job 5 must still find job 5 over.
    for (let i = 0; i < SLOTS; i++) if (i !== CLAIM) I[i] = 200;
    expect(claim(I, 5)).toBe(-1);
    expect(Atomics.load(I, CLAIM)).toBe(claimWord(5, 8) + 8);
  });

  test('counts up to the most chunks a job may have', () => {
    const I = controlBlock();
    Atomics.store(I, CLAIM, claimWord(32767, MAX_CHUNKS));
    const got = Array.from({ length: MAX_CHUNKS + 1 }, () => claim(I, 32767));
    expect(got.slice(0, MAX_CHUNKS)).toEqual(Array.from({ length: MAX_CHUNKS }, (_, c) => c));
    expect(got[MAX_CHUNKS]).toBe(-1);
  });
});

describe('split jobs back to back', () => {
  test('a few seconds of tiny jobs on 2, 3 and 7 threads at once (oversubscribed here) all finish', async () => {
    const { createWasmKernels } = await import('../../src/engine/kernels/wasm-kernels.ts');
    // Every call split, so each one opens a job while helpers may still be leaving the one before.
    const ks = [2, 3, 7].map((n) => createWasmKernels(n, { adaptive: false, splitMacs: 0, splitFloats: 0 })!);
    for (const k of ks) await k.ready;
    const k0 = ks[0];
    const A = k0.alloc(64 * 17).fill(0.5), B = k0.alloc(17 * 64).fill(0.25), C = k0.alloc(64 * 64);
    const g = k0.alloc(3 * 4096 + 5).fill(0.5);
    const jobs = ks.map((k) => k.stats.splitJobs);
    const until = performance.now() + 3000;
    let calls = 0;
    while (performance.now() < until) {
      for (const k of ks) {
        k.gemm(false, false, 3 + (calls % 40), 64, 17, A, B, C, false);
        expect(C[0]).toBe(17 * 0.125);
        expect(k.pointwise!.sumSquares(g)).toBe(g.length * 0.25);
        calls++;
      }
    }
    ks.forEach((k, i) => expect(k.stats.splitJobs - jobs[i]).toBeGreaterThan(100));
  }, 60_000);
});
