// Messages between the story engine (main thread) and its generation workers.
import type { GenerateOptions, GenerationEvent } from './events.ts';
import type { ModelSummary } from './story-engine.ts';

export type ToWorker =
  | { type: 'load'; id: number; path: string }
  | { type: 'generate'; id: number; path: string; options: Partial<GenerateOptions> };

export type FromWorker =
  | { type: 'loaded'; id: number; summary: ModelSummary }
  | { type: 'event'; id: number; event: GenerationEvent }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string; user: boolean };
