// What a training run is asked to do (TrainOptions), how its caller steers it while it runs (TrainControl),
// and the held-out score that may choose its best state (TrainSelect).
import type { Backend } from '../engine/backend.ts';
import type { RnnModel } from '../engine/model.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import type { TrainConfig } from './config.ts';

export interface TrainControl {
  stopRequested: boolean;
  paused: boolean;
}

/**
 * A held-out task score (higher is better) that decides which state is kept as the best, instead of the
 * validation loss: for corpora whose loss is mostly text unrelated to the skill being trained (the
 * long-dependency episodes are nine-tenths filler).
 */
export interface TrainSelect {
  name: string;
  score(lm: { model: RnnModel; tokenizer: Tokenizer }): number;
}

export interface TrainOptions {
  config: TrainConfig;
  data: string[];
  /** Final weights go here; FILE.best.safetensors and FILE.latest.safetensors are written beside it. */
  out: string;
  /** Continue from FILE.latest.safetensors (or the given checkpoint). Schedule options given here still apply. */
  resume?: boolean | string;
  /**
   * Start from the weights and vocabulary of this checkpoint instead of a random draw (fine-tuning a model
   * on new text). Its cell and sizes are kept; options given explicitly must agree with them.
   */
  init?: string;
  /** Keep the best state by this score rather than by validation loss. */
  select?: TrainSelect;
  /** Options the user set explicitly; on resume these override the saved configuration. */
  overrides?: Partial<TrainConfig>;
  backend?: Backend;
  /** Threads for the matrix products when no backend is given (default: one per core, up to 8; results never depend on it). */
  threads?: number;
  control?: TrainControl;
  /** Name recorded in the model card. */
  name?: string;
  /** Train over the files of an earlier run in `out` (without it a run refuses to replace them). */
  force?: boolean;
  /** Files read besides the data and init (the recipe): a run never writes over them. */
  inputs?: string[];
}
