// The public API of 'lstm-storyteller': load a model, tell stories (in this thread or a worker pool), train
// and score models, read and write checkpoints. The CLI, the terminal UI and the Discord plugin
// ('lstm-storyteller/discord') are built on these same functions. docs/api.md describes every export.
// Only re-exports: importing the package starts no worker and reads no file.

// Models and checkpoints
export { DEFAULT_MODEL, listModelFiles, listModels, loadModel, MODELS_DIR, readCheckpoint, resolveModelPath, summarize } from './models.ts';
export type { LoadModelOptions } from './models.ts';
export { saveCheckpoint as writeCheckpoint, readCheckpointSummary, FORMAT, FORMAT_VERSION } from './engine/checkpoint.ts';
export type { Checkpoint, ModelCard, ModelSummary, OptimizerState } from './engine/checkpoint.ts';
export type { CellType, ModelConfig, TokenLevel } from './engine/config.ts';
export type { RnnModel, ModelState } from './engine/model.ts';
export type { Arr, Backend } from './engine/backend.ts';
export { fastBackend } from './engine/backend.ts';

// Telling stories
export { generate, generateText, resolveGenerateOptions } from './generation/generator.ts';
export type { GeneratedText, LoadedModel } from './generation/generator.ts';
export { DEFAULT_GENERATE_OPTIONS, STORY_ENDING, STORY_FLOOR } from './generation/events.ts';
export { STORY_DEFAULTS } from './generation/story-defaults.ts';
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
export { train } from './train.ts';
export type { TrainRunOptions } from './train.ts';
export { evaluateText as evaluate } from './training/evaluate.ts';
export type { EvalProgress, TextScore } from './training/evaluate.ts';

// Errors a user can act on: `message` is one line, fit to show as it is.
export { CheckpointError, UserError } from './errors.ts';
