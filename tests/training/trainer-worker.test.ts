// The trainer in a worker thread: the same events as in process, typed errors, and an end in every case.
import { SELECTORS_MODULE } from '../../src/demos/selectors.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import type { TrainEvent } from '../../src/training/events.ts';
import { startTrainerThread, type TrainerThread } from '../../src/training/trainer-thread.ts';
import { sharedTrainControl, type TrainJob } from '../../src/training/trainer-worker-protocol.ts';
import { train } from '../../src/training/trainer.ts';
import { scratchDir } from '../support/scratch.ts';

const STORY = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(10);
const SCRIPTED = new URL('./scripted-trainer.ts', import.meta.url);
const tiny = (over: Record<string, unknown> = {}) =>
  resolveTrainConfig({ layers: 1, hiddenSize: 8, embeddingSize: 4, batchSize: 2, seqLength: 8, logEvery: 1, evalEvery: 3, sampleEvery: 3, maxSteps: 6, ...over });

function corpus(text = STORY): { dir: string; data: string } {
  const dir = scratchDir('trainer-worker');
  const data = path.join(dir, 'story.txt');
  writeFileSync(data, text);
  return { dir, data };
}

const threads: TrainerThread[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

function start(job: TrainJob, opts: { trainer?: URL } = {}) {
  const control = sharedTrainControl();
  const thread = startTrainerThread(job, control, opts);
  threads.push(thread);
  return { control, thread };
}

async function collect(events: AsyncIterable<TrainEvent>): Promise<TrainEvent[]> {
  const out: TrainEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function failure(events: AsyncIterable<TrainEvent>): Promise<Error> {
  try {
    await collect(events);
  } catch (e) {
    return e as Error;
  }
  throw new Error('the events ended without an error');
}

/** Events without what differs between two runs of the same training (clock and folder). */
function comparable(events: TrainEvent[]) {
  return events.map((e) => {
    if (e.type === 'step') return { ...e, charsPerSec: 0, tokensPerSec: 0, etaSec: 0, elapsedSec: 0 };
    if (e.type === 'done') return { ...e, elapsedSec: 0 };
    if (e.type === 'checkpoint') return { ...e, path: path.basename(e.path) };
    if (e.type === 'start') return { ...e, files: e.files?.map((f) => path.basename(f)) };
    return e;
  });
}

describe('trainer in a worker thread', () => {
  it('gives the events of the same run in process, losses and samples included', async () => {
    const a = corpus();
    const b = corpus();
    const job = (dir: string, data: string) => ({ config: tiny(), data: [data], out: path.join(dir, 'm.safetensors') });
    const inWorker = await collect(start(job(a.dir, a.data)).thread.events);
    const inProcess = await collect(train(job(b.dir, b.data)));
    expect(inWorker.map((e) => e.type)).toContain('sample');
    expect(inWorker.at(-1)).toMatchObject({ type: 'done', step: 6, reason: 'max-steps' });
    expect(comparable(inWorker)).toEqual(comparable(inProcess));
  });

  it('a stop set through the shared control ends the run with a latest checkpoint', async () => {
    const { dir, data } = corpus();
    const out = path.join(dir, 'm.safetensors');
    const { control, thread } = start({ config: tiny({ maxSteps: 1_000_000, sampleEvery: 0 }), data: [data], out });
    const seen: TrainEvent[] = [];
    for await (const e of thread.events) {
      seen.push(e);
      if (e.type === 'step' && e.step === 2) control.stopRequested = true;
    }
    const done = seen.at(-1)!;
    expect(done).toMatchObject({ type: 'done', reason: 'stopped' });
    expect(seen).toContainEqual({ type: 'checkpoint', kind: 'latest', step: (done as { step: number }).step, path: path.join(dir, 'm.latest.safetensors') });
  });

  it("a user's mistake found in the worker arrives as a UserError with its one-line message", async () => {
    const { dir, data } = corpus('   \n');
    const error = await failure(start({ config: tiny(), data: [data], out: path.join(dir, 'm.safetensors') }).thread.events);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`the corpus is empty (${data}): there is no text to learn from`);
  });

  it('the selection score is named in the job and built in the worker from the module the job names, where an unknown name is a UserError', async () => {
    const { dir, data } = corpus();
    const error = await failure(start({ config: tiny(), data: [data], out: path.join(dir, 'm.safetensors'), select: { by: 'best-vibes', root: dir, module: SELECTORS_MODULE } }).thread.events);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^unknown selection score "best-vibes"/);
  });

  it('an internal error arrives as a plain Error carrying the stack from the worker', async () => {
    const { dir, data } = corpus();
    const error = await failure(start({ config: tiny(), data: [data], out: path.join(dir, 'm.safetensors'), name: 'internal-error' }, { trainer: SCRIPTED }).thread.events);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error.message).toBe('cannot read properties of undefined (reading "h")');
    expect(error.stack).toContain('scripted-trainer.ts');
  });

  it('a worker that exits mid-run ends the events with an error instead of leaving them waiting', async () => {
    const { dir, data } = corpus();
    const error = await failure(start({ config: tiny(), data: [data], out: path.join(dir, 'm.safetensors'), name: 'exit' }, { trainer: SCRIPTED }).thread.events);
    expect(error.message).toBe('the training thread stopped before the run ended (exit code 3)');
  });

  it('close() ends a running worker at once, and its events end quietly', async () => {
    const { dir, data } = corpus();
    const { thread } = start({ config: tiny({ maxSteps: 1_000_000, sampleEvery: 0 }), data: [data], out: path.join(dir, 'm.safetensors') });
    const seen: TrainEvent[] = [];
    for await (const e of thread.events) {
      seen.push(e);
      if (e.type === 'step' && e.step === 2) void thread.close();
    }
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    expect(seen.filter((e) => e.type === 'step').length).toBeGreaterThanOrEqual(2);
  });
});
