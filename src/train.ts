// train() for library users: the trainer with any subset of the training options (the rest default, or on
// resume come from the saved run) and an AbortSignal that stops the run the way Ctrl-C does in the CLI.
import type { Backend } from './engine/backend.ts';
import { resolveTrainConfig, type TrainConfig } from './training/config.ts';
import type { TrainEvent } from './training/events.ts';
import { train as runTrainer, type TrainControl, type TrainOptions } from './training/trainer.ts';

/** Options for train(): the trainer's, with any subset of the training configuration. */
export interface TrainRunOptions extends Omit<TrainOptions, 'config' | 'overrides' | 'backend' | 'control'> {
  /** Training options (see DEFAULT_TRAIN_CONFIG); the rest take their defaults, or on resume the saved run's. */
  config?: Partial<TrainConfig>;
  backend?: Backend;
  /** Pause or stop the run from outside (stopping saves a checkpoint first). */
  control?: TrainControl;
  /** Aborting stops the run the way Ctrl-C does in the CLI: a checkpoint is saved, then a 'done' event. */
  signal?: AbortSignal;
}

/**
 * Trains a model on text files or folders of .txt files and writes `out` (plus OUT.best and OUT.latest
 * checkpoints beside it). Yields the trainer's events: start, step, eval, checkpoint, sample, warning, done.
 */
export async function* train(options: TrainRunOptions): AsyncGenerator<TrainEvent> {
  const { config = {}, signal, ...rest } = options;
  const control = options.control ?? { stopRequested: false, paused: false };
  const stop = () => (control.stopRequested = true);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    yield* runTrainer({ ...rest, control, config: resolveTrainConfig(config), overrides: config });
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
