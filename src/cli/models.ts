// Finding and loading checkpoints by name (a file in models/) or by path.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastBackend, type Backend } from '../engine/backend.ts';
import { loadCheckpoint } from '../engine/checkpoint.ts';
import type { LoadedModel } from '../generation/generator.ts';
import type { ModelSummary } from '../generation/story-engine.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = path.join(PROJECT_ROOT, 'models');
export const BIN_PATH = path.join(PROJECT_ROOT, 'src/bin/storyteller.mjs');

/** A path as given, or NAME → models/NAME.safetensors. */
export function resolveModelPath(nameOrPath: string, modelsDir = MODELS_DIR): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.safetensors') || existsSync(nameOrPath)) return nameOrPath;
  return path.join(modelsDir, `${nameOrPath}.safetensors`);
}

export function listModelFiles(modelsDir = MODELS_DIR): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((f) => f.endsWith('.safetensors') && !/\.(best|latest)\.safetensors$/.test(f))
    .sort()
    .map((f) => path.join(modelsDir, f));
}

export async function loadModel(nameOrPath: string, opts: { modelsDir?: string; backend?: Backend } = {}): Promise<LoadedModel> {
  const file = resolveModelPath(nameOrPath, opts.modelsDir);
  const ck = await loadCheckpoint(file, opts.backend ?? (await fastBackend()));
  return { name: path.basename(file).replace(/\.safetensors$/, ''), path: file, model: ck.model, tokenizer: ck.tokenizer, card: ck.card };
}

export function summarize(lm: LoadedModel): ModelSummary {
  const c = lm.model.config;
  return {
    name: lm.name,
    path: lm.path,
    level: lm.tokenizer.level,
    cell: c.cell,
    layers: c.layers,
    hiddenSize: c.hiddenSize,
    params: lm.model.paramCount,
    vocabSize: c.vocabSize,
    valBpc: lm.card.valBpc,
    valPerplexity: lm.card.valPerplexity,
    steps: lm.card.steps,
  };
}
