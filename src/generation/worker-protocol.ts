// Messages between the story engine (main thread) and its generation workers.
import type { GateHeatmapInput } from '../render/heatmap.ts';
import type { GenerateOptions, GenerationEvent } from './events.ts';
import type { ModelSummary } from './story-engine.ts';

export type ToWorker =
  | { type: 'load'; id: number; path: string }
  | { type: 'generate'; id: number; path: string; options: Partial<GenerateOptions> }
  /** Draw a gate heatmap; only the PNG is made (the SVG a file export also writes is not needed). */
  | { type: 'render'; id: number; heatmap: GateHeatmapInput };

export type FromWorker =
  | { type: 'loaded'; id: number; summary: ModelSummary }
  | { type: 'event'; id: number; event: GenerationEvent }
  | { type: 'done'; id: number }
  | { type: 'rendered'; id: number; png: Uint8Array }
  | { type: 'error'; id: number; message: string; user: boolean };
