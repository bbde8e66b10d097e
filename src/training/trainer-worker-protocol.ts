// What passes between the thread that shows a training run and the worker thread that runs it
// (trainer-thread.ts starts it, trainer-worker.ts is its body). Everything here is structured-cloneable:
// plain data for the job and the events, and a SharedArrayBuffer for pause and stop.
import type { TrainEvent } from './events.ts';
import type { TrainControl, TrainOptions, TrainSelect } from './trainer.ts';

/**
 * A training run as data. The selection score is named, not passed as a function: the worker imports
 * `module` (a URL) and builds the score with its resolveSelector(by, root).
 */
export interface TrainJob extends Omit<TrainOptions, 'select' | 'backend' | 'control'> {
  select?: { by: string; root: string; module: string };
}

/** What a selection module exports (src/demos/selectors.ts is the project's). */
export interface SelectorModule {
  resolveSelector(by: string, root: string): TrainSelect;
}

export interface TrainerWorkerData {
  job: TrainJob;
  /** The SharedTrainControl's memory: pause and stop reach the trainer between steps. */
  control: SharedArrayBuffer;
  /** A module whose train() runs instead of the real trainer's (tests script a trainer with it). */
  trainer?: string;
}

export type FromTrainerWorker =
  | { type: 'event'; event: TrainEvent }
  | { type: 'end' }
  | { type: 'error'; message: string; user: boolean; stack?: string };

/** TrainControl backed by shared memory, so both threads read and write the same two flags. */
export interface SharedTrainControl extends TrainControl {
  readonly buffer: SharedArrayBuffer;
}

const PAUSED = 0;
const STOP = 1;

/**
 * The trainer reads `paused` and `stopRequested` between steps. Kept in shared memory rather than sent as
 * messages because a worker busy in a step does not read its message queue until the step ends, and a
 * trainer that blocks for long would never see a message at all.
 */
export function sharedTrainControl(buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)): SharedTrainControl {
  const flags = new Int32Array(buffer);
  return {
    buffer,
    get paused() {
      return Atomics.load(flags, PAUSED) === 1;
    },
    set paused(on: boolean) {
      Atomics.store(flags, PAUSED, on ? 1 : 0);
    },
    get stopRequested() {
      return Atomics.load(flags, STOP) === 1;
    },
    set stopRequested(on: boolean) {
      Atomics.store(flags, STOP, on ? 1 : 0);
    },
  };
}
