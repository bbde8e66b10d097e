// The default thread and story-worker counts follow the machine by one documented rule (engine/threads.ts),
// and a thread count given by a user is checked with a one-line error.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { getKernels, kernelsReady } from '../../src/engine/kernels/index.ts';
import type { WasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const cpus = vi.hoisted(() => ({ n: 2 }));
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  return { ...os, availableParallelism: () => cpus.n };
});

const { checkThreads, defaultStoryWorkers, defaultThreads, DEFAULT_THREADS_CAP, DEFAULT_STORY_WORKERS_CAP } = await import('../../src/engine/threads.ts');

afterEach(() => {
  cpus.n = 2;
});

describe('default counts', () => {
  it.each([
    [1, 1, 1],
    [2, 2, 2],
    [4, 4, 4],
    [12, 8, 12],
    [32, 8, 16],
  ])('%i logical CPUs: %i threads for products, %i story workers', (n, threads, workers) => {
    cpus.n = n;
    expect(defaultThreads()).toBe(threads);
    expect(defaultStoryWorkers()).toBe(workers);
  });

  it('caps are the documented ones', () => {
    expect([DEFAULT_THREADS_CAP, DEFAULT_STORY_WORKERS_CAP]).toEqual([8, 16]);
  });
});

describe('a given thread count', () => {
  it.each([0, -1, 2.5, 65, Number.NaN, '3'])('%s is refused on one line', (v) => {
    expect(() => checkThreads(v, '--threads')).toThrow(/^--threads must be a whole number from 1 to 64 \(got .+\)$/);
  });

  it('1 to 64 are taken as they are', () => {
    expect([1, 7, 64].map((n) => checkThreads(n))).toEqual([1, 7, 64]);
  });
});

describe('storyteller train --threads', () => {
  const STORY = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(40);
  const args = (dir: string, out: string) => ['train', '--data', path.join(dir, 'story.txt'), '--out', path.join(dir, out), '--layers', '1',
    '--hidden-size', '128', '--batch-size', '16', '--seq-length', '32', '--max-steps', '6', '--eval-every', '3', '--sample-every', '0', '--json'];

  it('refuses a bad count on one line before reading anything', async () => {
    const dir = scratchDir('threads-cli');
    const r = await runInProcess([...args(dir, 'x.safetensors'), '--threads', '0'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^storyteller train: --threads must be a whole number from 1 to 64 \(got 0\)$/);
  });

  it('trains the same model with 1 and 3 threads, bit for bit', async () => {
    const dir = scratchDir('threads-cli');
    writeFileSync(path.join(dir, 'story.txt'), STORY);
    const weights = async (threads: number) => {
      const out = `t${threads}.safetensors`;
      const r = await runInProcess([...args(dir, out), '--threads', String(threads)], dir);
      expect(r.code, r.stderr).toBe(0);
      const d = (await loadCheckpoint(path.join(dir, out), f32LoopBackend)).model.params.data;
      return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    };
    // The trainer takes the process's 3-thread kernels: started here so their helpers are up from the first step.
    const three = getKernels({ backend: 'wasm', threads: 3 }) as WasmKernels;
    await kernelsReady(three);
    const one = await weights(1);
    const jobs = three.stats.splitJobs;
    expect((await weights(3)).equals(one)).toBe(true);
    expect(three.stats.splitJobs).toBeGreaterThan(jobs);
  });
});
