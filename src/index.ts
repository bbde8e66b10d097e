// The public API of 'lstm-storyteller': load a model, tell stories (in this thread or a worker pool), train
// and score models, read and write checkpoints. The CLI, the terminal UI and the Discord plugin
// ('lstm-storyteller/discord') are built on these same functions. docs/api.md describes every export.
import type { Backend } from './engine/backend.ts';
import { resolveTrainConfig, type TrainConfig } from './training/config.ts';
import type { TrainEvent } from './training/events.ts';
import { train as runTrainer, type TrainControl, type TrainOptions } from './training/trainer.ts';

// Models and checkpoints
export { DEFAULT_MODEL, listModelFiles, listModels, loadModel, MODELS_DIR, readCheckpoint, resolveModelPath, summarize } from './models.ts';
export type { LoadModelOptions } from './models.ts';
export { saveCheckpoint as writeCheckpoint, readCheckpointSummary, FORMAT, FORMAT_VERSION } from './engine/checkpoint.ts';
export type { Checkpoint, ModelCard, ModelSummary, OptimizerState } from './engine/checkpoint.ts';
export type { CellType, ModelConfig, TokenLevel } from './engine/config.ts';
export type { RNNModel, ModelState } from './engine/model.ts';
export type { Arr, Backend } from './engine/backend.ts';
export { fastBackend } from './engine/backend.ts';

// Telling stories
export { generate, generateText, resolveGenerateOptions } from './generation/generator.ts';
export type { GeneratedText, LoadedModel } from './generation/generator.ts';
export { DEFAULT_GENERATE_OPTIONS, STORY_ENDING } from './generation/events.ts';
export type { Candidate, GateKind, GenerateOptions, GenerationEvent, LayerTrace, PromptToken, StopRule, UnknownPolicy, UnknownReport } from './generation/events.ts';
export { createStoryEngine } from './generation/worker-engine.ts';
export type { StoryEngineOptions } from './generation/worker-engine.ts';
export type { StoryEngine } from './generation/story-engine.ts';

// Text
export { CharTokenizer, tokenizerFromJSON, WordTokenizer } from './text/index.ts';
export type { Detokenizer, Encoded, SerializedTokenizer, Tokenizer } from './text/tokenizer.ts';
export { normalizeText } from './text/normalize.ts';

// Training and scoring
export { DEFAULT_TRAIN_CONFIG } from './training/config.ts';
export type { TrainConfig } from './training/config.ts';
export type { TrainEvent } from './training/events.ts';
export type { TrainControl, TrainSelect } from './training/trainer.ts';
export { evaluateText as evaluate } from './training/evaluate.ts';
export type { TextScore } from './training/evaluate.ts';

// Errors a user can act on: `message` is one line, fit to show as it is.
export { CheckpointError, UserError } from './errors.ts';

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
