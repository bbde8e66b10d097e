import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { TrainApp } from '../../src/tui/train-app.tsx';
import { resolveTrainConfig } from '../../src/training/config.ts';
import type { TrainEvent } from '../../src/training/events.ts';
import { startTrainerThread, type TrainerThread } from '../../src/training/trainer-thread.ts';
import { sharedTrainControl, type TrainJob } from '../../src/training/trainer-worker-protocol.ts';
import { scratchDir } from '../support/scratch.ts';
import { EventQueue, plain, resize, tick, UnmountProbe, waitFor } from './helpers.tsx';

const threads: TrainerThread[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

const start: TrainEvent = { type: 'start', step: 0, maxSteps: 200, params: 12_345, trainTokens: 50_000, valTokens: 5000, batchSize: 16, seqLength: 64, resumed: false };
const stepEvent = (step: number, loss: number): TrainEvent => ({
  type: 'step',
  step,
  maxSteps: 200,
  loss,
  lr: 0.002,
  gradNorm: 1,
  charsPerSec: 12_300,
  tokensPerSec: 12_300,
  etaSec: 200 - step,
  elapsedSec: step,
});

function setup() {
  const events = new EventQueue<TrainEvent>();
  const calls: string[] = [];
  let exited = false;
  const app = render(
    <>
      <TrainApp events={events} pause={() => calls.push('pause')} resume={() => calls.push('resume')} stop={() => calls.push('stop')} />
      <UnmountProbe onUnmount={() => (exited = true)} />
    </>,
  );
  const frame = () => plain(app.lastFrame());
  const until = (check: (f: string) => boolean, what: string) => waitFor(() => check(frame()), what, frame);
  const key = async (k: string) => {
    app.stdin.write(k);
    await tick();
  };
  return { app, events, calls, frame, until, key, exited: () => exited };
}

describe('training screen', () => {
  test('shows the step, a progress bar, loss, throughput and ETA', async () => {
    const t = setup();
    t.events.push(start, stepEvent(50, 2.5));
    await t.until((f) => f.includes('step 50/200'), 'the step');
    expect(t.frame()).toMatch(/█+░+ +25%/);
    expect(t.frame()).toContain('loss 2.500');
    expect(t.frame()).toContain('12.3k chars/s');
    expect(t.frame()).toContain('ETA 2m30s');
  });

  test('validation loss appears with its best value and bits per character', async () => {
    const t = setup();
    t.events.push(start, stepEvent(10, 3), { type: 'eval', step: 10, valLoss: 2.75, bestValLoss: 2.7, improved: false, bpc: 3.97 });
    await t.until((f) => f.includes('val 2.750 (best 2.700, 3.97 bpc)'), 'the validation figures');
  });

  test('a run that keeps its best state by a held-out score shows the score and its best', async () => {
    const t = setup();
    const score = { name: 'long-dependency accuracy', value: 0.953, best: 0.987 };
    t.events.push(start, stepEvent(10, 3), { type: 'eval', step: 10, valLoss: 0.31, bestValLoss: 0.308, improved: false, bpc: 0.45, score });
    await t.until((f) => f.includes('long-dependency accuracy 95.3% (best 98.7%)'), 'the score');
  });

  test('the loss curve is drawn as a braille chart', async () => {
    const t = setup();
    t.events.push(start, ...Array.from({ length: 30 }, (_, i) => stepEvent(i + 1, 3 - i * 0.05)));
    await t.until((f) => f.includes('step 30/200'), 'thirty steps');
    expect(t.frame()).toMatch(/loss +[\u2800-\u28ff]+ 3\.00/);
  });

  test('samples are printed above the live dashboard', async () => {
    const t = setup();
    t.events.push(start, stepEvent(20, 2), { type: 'sample', step: 20, text: 'Spot ran to Jane.' });
    await t.until((f) => f.includes('Spot ran to Jane.'), 'the sample');
    const f = t.frame();
    expect(f.indexOf('sample at step 20')).toBeLessThan(f.indexOf('step 20/200'));
  });

  test('p pauses and p again resumes', async () => {
    const t = setup();
    t.events.push(start);
    await t.until((f) => f.includes('step 0/200'), 'the dashboard');
    await t.key('p');
    expect(t.calls).toEqual(['pause']);
    expect(t.frame()).toContain('PAUSED');
    await t.key('p');
    expect(t.calls).toEqual(['pause', 'resume']);
    expect(t.frame()).not.toContain('PAUSED');
  });

  test('s asks the trainer to stop and says a checkpoint is being saved', async () => {
    const t = setup();
    t.events.push(start);
    await t.until((f) => f.includes('step 0/200'), 'the dashboard');
    await t.key('s');
    expect(t.calls).toEqual(['stop']);
    expect(t.frame()).toContain('stopping: saving a checkpoint');
  });

  test('Ctrl-C stops the trainer instead of killing it', async () => {
    const t = setup();
    t.events.push(start);
    await t.until((f) => f.includes('step 0/200'), 'the dashboard');
    await t.key('\x03');
    expect(t.calls).toEqual(['stop']);
    expect(t.exited()).toBe(false);
  });

  test('a second Ctrl-C leaves without waiting for the trainer', async () => {
    const t = setup();
    t.events.push(start);
    await t.until((f) => f.includes('step 0/200'), 'the dashboard');
    await t.key('\x03');
    await t.key('\x03');
    await waitFor(t.exited, 'the app to unmount');
  });

  test('the screen closes with a summary when the run is done', async () => {
    const t = setup();
    t.events.push(start, stepEvent(200, 1.2), { type: 'checkpoint', step: 200, path: 'models/x.safetensors', kind: 'latest' });
    t.events.push({ type: 'done', step: 200, reason: 'max-steps', bestValLoss: 1.3, elapsedSec: 75 });
    t.events.end();
    await waitFor(t.exited, 'the app to unmount');
    expect(t.frame()).toContain('finished at step 200: max-steps · best val 1.300 · 1m15s');
    expect(t.frame()).toContain('saved latest checkpoint (step 200) models/x.safetensors');
  });

  test('the saved checkpoint has a status line of its own, apart from the key hints', async () => {
    const t = setup();
    resize(t.app.stdout, 60);
    t.events.push(start, stepEvent(40, 2), { type: 'checkpoint', step: 40, path: 'models/x.best.safetensors', kind: 'best' });
    t.events.push({ type: 'checkpoint', step: 40, path: 'models/x.latest.safetensors', kind: 'latest' });
    await t.until((f) => f.includes('saved latest checkpoint'), 'the checkpoint line');
    const lines = t.frame().split('\n').map((l) => l.trimEnd());
    const saved = lines.findIndex((l) => l.startsWith('saved latest checkpoint'));
    const hints = lines.findIndex((l) => l.includes('p pause'));
    // Wrapped at 60 columns, the status takes two lines; the key hints follow on lines of their own.
    expect(lines.slice(saved, saved + 2).join(' ')).toBe('saved latest checkpoint (step 40) models/x.latest.safetensors · best at step 40');
    expect(lines[hints]).toBe('p pause · s stop and save · Ctrl-C stop and save');
    expect(hints).toBeGreaterThan(saved + 1);
  });

  test('a failing event stream ends the screen with its message', async () => {
    const t = setup();
    t.events.push(start);
    t.events.fail(new Error('corpus vanished'));
    await waitFor(t.exited, 'the app to unmount');
    expect(t.frame()).toContain('failed: corpus vanished');
    expect(t.frame()).not.toContain('p pause');
  });

  test('a 60-column terminal gets no line longer than 60', async () => {
    const t = setup();
    resize(t.app.stdout, 60);
    t.events.push(start, ...Array.from({ length: 40 }, (_, i) => stepEvent(i + 1, 3 - i * 0.03)));
    t.events.push({ type: 'eval', step: 40, valLoss: 2.5, bestValLoss: 2.5, improved: true, bpc: 3.6 }, { type: 'sample', step: 40, text: 'x'.repeat(130) });
    await t.until((f) => f.includes('step 40/200') && f.includes('val 2.500'), 'forty steps');
    expect(Math.max(...t.frame().split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(60);
  });
});

/** The dashboard over a real worker thread, wired as runTrainTui wires it. */
function setupWorker(job: TrainJob, trainer?: URL) {
  const control = sharedTrainControl();
  const thread = startTrainerThread(job, control, { trainer });
  threads.push(thread);
  let exited = false;
  const app = render(
    <>
      <TrainApp events={thread.events} pause={() => (control.paused = true)} resume={() => (control.paused = false)} stop={() => (control.stopRequested = true)} />
      <UnmountProbe onUnmount={() => (exited = true)} />
    </>,
  );
  const frame = () => plain(app.lastFrame());
  const until = (check: (f: string) => boolean, what: string) => waitFor(() => check(frame()), what, frame);
  /** The first frame (in drawing order) that shows `text`, or -1. */
  const firstFrame = (text: string) => app.frames.findIndex((f) => plain(f).includes(text));
  return { app, control, frame, until, firstFrame, exited: () => exited };
}

function tinyJob(text = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(10), over: Record<string, unknown> = {}): TrainJob {
  const dir = scratchDir('train-app');
  const data = path.join(dir, 'story.txt');
  writeFileSync(data, text);
  const config = resolveTrainConfig({ layers: 1, hiddenSize: 8, embeddingSize: 4, batchSize: 2, seqLength: 8, logEvery: 1, evalEvery: 1000, maxSteps: 1_000_000, ...over });
  return { config, data: [data], out: path.join(dir, 'm.safetensors') };
}

describe('training screen with the trainer in a worker thread', () => {
  test('keys are handled and the screen redraws while the trainer blocks its thread', async () => {
    // The scripted trainer blocks its thread (no event loop turns) until it sees the pause, then until it
    // sees the stop: only a dashboard thread that the trainer does not block can get it past either.
    const t = setupWorker({ ...tinyJob(), name: 'block' }, new URL('../training/scripted-trainer.ts', import.meta.url));
    await t.until((f) => f.includes('step 0/3'), 'the dashboard');
    t.app.stdin.write('p');
    await t.until((f) => f.includes('PAUSED'), 'the pause to show');
    await t.until((f) => f.includes('step 1/3'), 'the trainer to see the pause and take a step');
    expect(t.firstFrame('PAUSED')).toBeLessThan(t.firstFrame('step 1/3'));
    // A resize while the trainer blocks again (waiting for the stop) redraws at the new width.
    resize(t.app.stdout, 50);
    await t.until((f) => Math.max(...f.split('\n').map((l) => [...l].length)) <= 50 && f.includes('step 1/3'), 'a redraw at 50 columns');
    t.app.stdin.write('s');
    await waitFor(t.exited, 'the run to stop and the screen to close', t.frame);
    expect(t.firstFrame('stopping: saving a checkpoint')).toBeLessThan(t.firstFrame('finished at step 1: stopped'));
  });

  test('s makes the worker save a latest checkpoint before the screen closes', async () => {
    const job = tinyJob();
    const t = setupWorker(job);
    await t.until((f) => /step [1-9]\d*\//.test(f), 'a training step');
    t.app.stdin.write('s');
    await waitFor(t.exited, 'the run to stop and the screen to close', t.frame);
    const done = /finished at step (\d+): stopped/.exec(t.frame());
    expect(done, t.frame()).not.toBeNull();
    const latest = job.out.replace(/\.safetensors$/, '.latest.safetensors');
    expect(t.frame()).toContain(`saved latest checkpoint (step ${done![1]}) ${latest}`);
    expect(existsSync(latest)).toBe(true);
    const ck = await loadCheckpoint(latest, f32LoopBackend);
    expect((ck.training as { step: number }).step).toBe(Number(done![1]));
  });

  test("an error in the worker ends the screen with the error's message on one line", async () => {
    const job = tinyJob('   \n');
    const t = setupWorker(job);
    resize(t.app.stdout, 200); // room for the message with its scratch path, so a wrap cannot split it
    await waitFor(t.exited, 'the screen to close', t.frame);
    const message = `failed: the corpus is empty (${job.data[0]}): there is no text to learn from`;
    const lines = t.frame().split('\n').map((l) => l.trimEnd());
    expect(lines.filter((l) => l.includes('the corpus is empty'))).toEqual([message]);
    expect(lines.at(-1)).toBe(message);
  });
});
