// Whole training steps (forward, loss, backward, clipping, Adam) give the same weights bit for bit with
// 1, 2, 3, 4 and 7 threads: the thread count may change speed, never a model.
import { describe, expect, it } from 'vitest';
import { kernelsBackend, type Backend } from '../../src/engine/backend.ts';
import type { CellType } from '../../src/engine/config.ts';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { BatchStreams } from '../../src/training/data.ts';
import { Adam } from '../../src/training/optimizer.ts';
import { trainStep } from '../../src/training/step.ts';
import { ALL_CELLS } from '../engine/helpers.ts';

const V = 40, T = 16, STEPS = 4;
const instances = new Map<number, WasmKernels>();

/**
 * Weights and losses after STEPS training steps of batch B on `threads` threads, every product and cell step
 * split; the LSTM's recurrences run as one job per pass split by batch rows (Kernels.lstmRecurrence) where the
 * batch has whole rows for every thread, and step by step otherwise.
 */
async function trained(cell: CellType, threads: number, B = 16): Promise<{ weights: Buffer; init: Buffer; losses: number[]; kernels: WasmKernels }> {
  const kernels = instances.get(threads) ?? createWasmKernels(threads, { adaptive: false, splitMacs: 0, splitFloats: 0 })!;
  instances.set(threads, kernels);
  await kernels.ready;
  const backend: Backend = kernelsBackend(kernels);
  const m = new RnnModel({ cell, layers: 2, hiddenSize: 48, embeddingSize: 16, vocabSize: V, dropout: 0.1, tieWeights: false }, backend);
  m.params.init(new Rng(`threads-${cell}`));
  const init = Buffer.from(Float32Array.from(m.params.data).buffer);
  const rng = new Rng('threads-data');
  const streams = new BatchStreams(Int32Array.from({ length: 20_000 }, () => rng.int(V)), B, T);
  const state = m.zeroState(B);
  const opt = { optimizer: new Adam(m.params.size, backend), lr: 3e-3, gradClip: 1, rng: new Rng('threads-drop'), dLogits: backend.alloc(T * B * V) };
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    streams.next();
    losses.push(trainStep(m, streams.x, streams.y, T, B, state, opt).loss);
  }
  const d = m.params.data;
  return { weights: Buffer.from(d.buffer, d.byteOffset, d.byteLength), init, losses, kernels };
}

describe('training steps across thread counts', () => {
  it.each([2, 3, 4, 7])('lstm: %i threads give the weights of 1 thread, bit for bit', async (n) => {
    const one = await trained('lstm', 1);
    const many = await trained('lstm', n);
    expect(many.kernels.threads).toBe(n);
    expect(many.kernels.stats.splitJobs).toBeGreaterThan(0);
    expect(many.losses).toEqual(one.losses);
    expect(many.weights.equals(one.weights)).toBe(true);
    // The steps trained something: the weights moved from their initialisation.
    expect(one.weights.equals(one.init)).toBe(false);
  });

  it('lstm with a batch too small to split by rows (4 rows on 3 threads): the per-step split gives the weights of 1 thread', async () => {
    const one = await trained('lstm', 1, 4);
    const three = await trained('lstm', 3, 4);
    expect(three.kernels.stats.splitJobs).toBeGreaterThan(0);
    expect(three.weights.equals(one.weights)).toBe(true);
    expect(one.weights.equals(one.init)).toBe(false);
  });

  it.each(ALL_CELLS.filter((c) => c !== 'lstm'))('%s: 3 threads give the weights of 1 thread, bit for bit', async (cell) => {
    const one = await trained(cell, 1);
    const three = await trained(cell, 3);
    expect(three.kernels.stats.splitJobs).toBeGreaterThan(0);
    expect(three.weights.equals(one.weights)).toBe(true);
    expect(one.weights.equals(one.init)).toBe(false);
  });
});
