// The service front ends talk to: named models plus a streaming generator. The real implementation runs
// the model math in worker threads (createStoryEngine); tests may substitute a fake with the same shape.
import type { ModelSummary } from '../engine/checkpoint.ts';
import type { GateHeatmapInput } from '../render/heatmap.ts';
import type { GenerateOptions, GenerationEvent } from './events.ts';

// Defined where checkpoints are read (readCheckpointSummary); re-exported for the front ends.
export type { ModelSummary };

export interface StoryEngine {
  /** Checkpoints available in the models folder. */
  listModels(): Promise<ModelSummary[]>;
  /** Loads (or reuses) a model by name in the models folder or by path; throws UserError on failure. */
  loadModel(nameOrPath: string): Promise<ModelSummary>;
  /**
   * Streams a story. Errors (unknown model, unknown prompt characters under --unknown error, bad options)
   * are thrown from the iterator as UserError. Aborting the signal ends the stream early.
   */
  generate(model: string, options: Partial<GenerateOptions>, signal?: AbortSignal): AsyncIterable<GenerationEvent>;
  /** Draws a gate heatmap as PNG bytes off the caller's thread (optional: callers draw it themselves without). */
  renderGateHeatmap?(input: GateHeatmapInput): Promise<Uint8Array>;
  close(): Promise<void>;
}
