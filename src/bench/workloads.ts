// The reference workloads (bench/torch_lstm.py runs the same on PyTorch): char-level, V=80, E=32, LSTM,
// linear decoder, cross-entropy, Adam lr 2e-3, clip 5, truncated BPTT with carried state.
import { loadavg } from 'node:os';
import { fastBackend, type Backend } from '../engine/backend.ts';
import { getKernels, kernelsReady } from '../engine/kernels/index.ts';
import type { WasmKernels } from '../engine/kernels/wasm-kernels.ts';
import { RnnModel } from '../engine/model.ts';
import { Rng } from '../engine/rng.ts';
import { generate } from '../generation/generator.ts';
import { CharTokenizer } from '../text/char-tokenizer.ts';
import { BatchStreams } from '../training/data.ts';
import { Adam } from '../training/optimizer.ts';
import { forwardMacsPerToken, trainStep } from '../training/step.ts';

export const CONFIGS = {
  S: { layers: 1, hiddenSize: 128, batchSize: 32, seqLength: 64 },
  M: { layers: 2, hiddenSize: 256, batchSize: 32, seqLength: 64 },
  L: { layers: 2, hiddenSize: 512, batchSize: 64, seqLength: 100 },
} as const;
export type ConfigName = keyof typeof CONFIGS;
const V = 80;
const E = 32;

/** One measured row; `bench --json` prints it as it is (camelCase keys, like every --json output). */
export interface Measurement {
  /** copies: n one-thread copies of ours measured at once (`threads` = n; figures are their totals). */
  system: 'lstm-storyteller' | 'pytorch' | 'copies';
  config: ConfigName;
  mode: 'train' | 'sample';
  threads: number;
  charsPerSec: number;
  gflops: number;
  peakRssMb: number | null;
  /** The machine's 1-minute load average when the row finished: above the core count, timings are not trustworthy. */
  load1?: number;
  /** With --profile: where the step's time went (see StepParts). */
  parts?: StepParts;
  /** The chars/s of every round this row (the best of them) was chosen from, in the order they ran. */
  rounds?: number[];
}

/**
 * Shares of a profiled step: the matrix products, the element-wise kernels (cell steps, bias, softmax,
 * clipping), Adam, and the rest (the loss's logs, embedding, dropout, per-step JavaScript), plus the share
 * that ran on the calling thread alone (the rest and every kernel call that did not split) and the mean
 * step time in milliseconds.
 */
export interface StepParts { products: number; elementwise: number; adam: number; rest: number; oneThread: number; stepMs: number }

type KernelTimes = { products: number; elementwise: number; adam: number; oneThread: number };

/**
 * `b` with every kernel call timed into `into` (milliseconds): gemm, packB and the LSTM recurrences as products, adam as Adam,
 * the other element-wise kernels as elementwise; calls during which `splitJobs()` did not move count as
 * oneThread as well. Memory management is not timed.
 */
function timedBackend(b: Backend, into: KernelTimes, splitJobs: () => number): Backend {
  const w: Record<string, unknown> = { ...b };
  for (const [k, v] of Object.entries(b)) {
    if (typeof v !== 'function' || k === 'alloc' || k === 'free' || k === 'owns') continue;
    // An LSTM recurrence is T recurrent products with their cell steps (a few % of the time): products.
    const part = k === 'gemm' || k === 'packB' || k.startsWith('lstmRecurrence') ? 'products' : k === 'adam' ? 'adam' : 'elementwise';
    w[k] = (...args: unknown[]) => {
      const jobs = splitJobs();
      const t0 = performance.now();
      try {
        return (v as (...a: unknown[]) => unknown)(...args);
      } finally {
        const dt = performance.now() - t0;
        into[part] += dt;
        if (splitJobs() === jobs) into.oneThread += dt;
      }
    };
  }
  return w as unknown as Backend;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function model(name: ConfigName, backend: Awaited<ReturnType<typeof fastBackend>>) {
  const c = CONFIGS[name];
  const config = { cell: 'lstm' as const, layers: c.layers, hiddenSize: c.hiddenSize, embeddingSize: E, vocabSize: V, dropout: 0, tieWeights: false };
  const m = new RnnModel(config, backend);
  m.params.init(new Rng('bench'));
  return { m, config };
}

/**
 * Training throughput: batch × seq / median step time after warm-up. With `profile`, every kernel call is
 * timed as well and the result says which share of the step went where, and which share ran on one
 * thread (with more threads, time inside a split call includes waiting for helpers).
 */
export async function measureTrain(name: ConfigName, threads: number, budgetSec = 20, profile = false, beforeTiming?: () => Promise<void>): Promise<Measurement> {
  const fast = await fastBackend(threads);
  const kernels = getKernels({ threads });
  await kernelsReady(kernels); // the instance fastBackend uses: its helpers up before timing
  const inKernels: KernelTimes = { products: 0, elementwise: 0, adam: 0, oneThread: 0 };
  const stats = (kernels as Partial<WasmKernels>).stats;
  const backend = profile ? timedBackend(fast, inKernels, () => stats?.splitJobs ?? 0) : fast;
  const { m, config } = model(name, backend);
  const { batchSize: B, seqLength: T } = CONFIGS[name];
  const rng = new Rng('bench-data');
  const tokens = Int32Array.from({ length: 400_000 }, () => rng.int(29));
  const streams = new BatchStreams(tokens, B, T);
  const state = m.zeroState(B);
  const opt = { optimizer: new Adam(m.params.size, backend), lr: 2e-3, gradClip: 5, rng: new Rng('drop'), dLogits: backend.alloc(T * B * V) };
  const step = () => {
    streams.next();
    trainStep(m, streams.x, streams.y, T, B, state, opt);
  };
  for (let i = 0; i < 3; i++) step();
  await beforeTiming?.();
  for (const k of Object.keys(inKernels) as Array<keyof typeof inKernels>) inKernels[k] = 0;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 30 && performance.now() - start < budgetSec * 1000)) {
    const t0 = performance.now();
    step();
    times.push((performance.now() - t0) / 1000);
  }
  const cps = (B * T) / median(times);
  const r: Measurement = { system: 'lstm-storyteller', config: name, mode: 'train', threads, charsPerSec: Math.round(cps), gflops: round1((cps * 6 * forwardMacsPerToken(config)) / 1e9), peakRssMb: peakRssMb(), load1: load1() };
  if (profile) {
    const total = times.reduce((a, b) => a + b, 0) * 1000;
    const share = (ms: number) => Math.round((ms / total) * 1000) / 1000;
    const { products, elementwise, adam, oneThread } = inKernels;
    const rest = total - products - elementwise - adam;
    r.parts = { products: share(products), elementwise: share(elementwise), adam: share(adam), rest: share(rest), oneThread: share(oneThread + rest), stepMs: round1(total / times.length) };
  }
  return r;
}

/** Sampling throughput at batch 1 through the real generator (multinomial sampling, one character at a time). */
export async function measureSample(name: ConfigName, threads: number, budgetSec = 10, beforeTiming?: () => Promise<void>): Promise<Measurement> {
  const backend = await fastBackend(threads);
  await kernelsReady(getKernels({ threads }));
  const { m, config } = model(name, backend);
  const tokenizer = new CharTokenizer(Array.from({ length: V }, (_, i) => String.fromCharCode(32 + i)));
  const lm = { name: 'bench', path: '', model: m, tokenizer, card: {} };
  const run = (n: number, seed: string) => {
    for (const _ of generate(lm, { length: n, temperature: 1, seed, topCandidates: 0 })) void _;
  };
  run(200, 'warm');
  await beforeTiming?.();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < Math.min(budgetSec, 10) * 1000) {
    run(1000, `s${n}`);
    n += 1000;
  }
  const cps = n / ((performance.now() - start) / 1000);
  return { system: 'lstm-storyteller', config: name, mode: 'sample', threads, charsPerSec: Math.round(cps), gflops: round1((cps * 2 * forwardMacsPerToken(config)) / 1e9), peakRssMb: peakRssMb(), load1: load1() };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
export const load1 = () => Math.round(loadavg()[0] * 100) / 100;
