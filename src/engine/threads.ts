// How many threads the tool uses when not told: one place for the rules, so the trainer, the benchmark,
// the story engine's pool and the bot's concurrency cap all follow the same machine.
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.ts';
import { MAX_THREADS } from './kernels/job-pool.ts';

export { MAX_THREADS };

/**
 * Threads for the matrix products when none are given: the machine's logical CPUs, at most this many.
 * Why a cap: availableParallelism() counts SMT siblings, which share the SIMD units our compute-bound
 * kernels saturate (an 8-core/16-thread laptop gains nothing from the second 8); and the per-step products
 * of S and M are a few million multiply-adds, so past 8 threads each chunk is tens of microseconds, where
 * waking and joining helpers costs as much as it saves. Revisit with measurements on a larger machine
 * (BENCHMARKS.md, "Threads").
 */
export const DEFAULT_THREADS_CAP = 8;

/**
 * Story workers when none are given: one story at batch 1 is one thread's work (its matrix-vector
 * products are too small to split), so stories at once scale with the cores, one worker each. Capped
 * because every worker holds its own copy of each model it has loaded and its own kernel memory.
 */
export const DEFAULT_STORY_WORKERS_CAP = 16;

const cpus = (): number => Math.max(1, availableParallelism());

/** Default threads for training and evaluation products: min(logical CPUs, DEFAULT_THREADS_CAP). */
export function defaultThreads(): number {
  return Math.min(DEFAULT_THREADS_CAP, cpus());
}

/** Default story-engine workers, and so the bot's default cap on stories written at once. */
export function defaultStoryWorkers(): number {
  return Math.min(DEFAULT_STORY_WORKERS_CAP, cpus());
}

/** A thread count given by a user (flag or option): a whole number 1..MAX_THREADS, else a one-line UserError. */
export function checkThreads(value: unknown, name = 'threads'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new UserError(`${name} must be a whole number from 1 to ${MAX_THREADS} (got ${JSON.stringify(value)})`);
  }
  return value;
}
