// Runs the trainer in a worker thread (trainer-worker.ts) and hands its events out as an async iterable,
// so the thread that shows the run (Ink's render loop) stays free while a step computes. Pause and stop
// go through a SharedTrainControl; errors come back typed (UserError or internal) with their message.
import type { Worker } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { startWorker } from '../worker-url.ts';
import type { TrainEvent } from './events.ts';
import type { FromTrainerWorker, SharedTrainControl, TrainerWorkerData, TrainJob } from './trainer-worker-protocol.ts';

export interface TrainerThread {
  /** The run's events; ends after `done`, throws the run's error. Read it once. */
  events: AsyncIterable<TrainEvent>;
  /** Ends the thread at once if it still runs (no checkpoint is saved: stop through the control for that). */
  close(): Promise<void>;
}

export interface TrainerThreadOptions {
  /** A module to take train() from instead of trainer.ts (tests script a trainer with it). */
  trainer?: string | URL;
}

/** The one place the trainer's worker is spawned. */
function spawnTrainerWorker(data: TrainerWorkerData): Worker {
  return startWorker('./trainer-worker.ts', import.meta.url, { workerData: data });
}

export function startTrainerThread(job: TrainJob, control: SharedTrainControl, opts: TrainerThreadOptions = {}): TrainerThread {
  const worker = spawnTrainerWorker({ job, control: control.buffer, ...(opts.trainer ? { trainer: String(opts.trainer) } : {}) });
  const queue: TrainEvent[] = [];
  let failure: Error | undefined;
  let ended = false;
  let closing = false;
  let wake: (() => void) | undefined;
  const finish = (error?: Error) => {
    if (ended) return;
    ended = true;
    failure = error;
    wake?.();
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  worker.on('message', (m: FromTrainerWorker) => {
    if (ended) return;
    if (m.type === 'event') {
      queue.push(m.event);
      wake?.();
    } else if (m.type === 'end') finish();
    else if (m.user) finish(new UserError(m.message));
    else {
      const error = new Error(m.message);
      if (m.stack) error.stack = m.stack; // the worker's stack, for STORYTELLER_DEBUG
      finish(error);
    }
  });
  worker.on('messageerror', (e) => finish(new Error(`a training event could not be read: ${e.message}`)));
  worker.on('error', (e) => finish(new Error(`the training thread failed: ${e.message}`)));
  worker.on('exit', (code) => finish(closing ? undefined : new Error(`the training thread stopped before the run ended (exit code ${code})`)));

  async function* events(): AsyncGenerator<TrainEvent> {
    for (;;) {
      if (queue.length) {
        yield queue.shift()!;
        continue;
      }
      if (ended) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }

  return {
    events: events(),
    async close() {
      closing = true;
      await worker.terminate();
      await exited;
    },
  };
}
