// Finding and loading models: by name in a models folder (the package's own models/ unless told
// otherwise), by path or file: URL, or from the bytes of a checkpoint.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastBackend, type Backend } from './engine/backend.ts';
import { checkThreads } from './engine/threads.ts';
import { decodeCheckpoint, loadCheckpoint, readCheckpointSummary, type Checkpoint, type ModelSummary } from './engine/checkpoint.ts';
import { CheckpointError, UserError } from './errors.ts';
import type { LoadedModel } from './generation/generator.ts';

/** The project or installed package: the folder above src/ (sources) or dist/ (the build). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
/** The shipped models. */
export const MODELS_DIR = path.join(PROJECT_ROOT, 'models');
/** The model a user gets when naming none (`npm start`, the CLI, the bot). */
export const DEFAULT_MODEL = 'tales-char';
/**
 * Shipped models the npm package leaves out to stay within its size budget (package.json "files" says the
 * same): a repository checkout has them. Asking for one where it is missing says how to get it.
 */
export const LEFT_OUT_OF_PACKAGE: Readonly<Record<string, string>> = {
  'tales-word': 'the npm package leaves out this 10 MB model; copy models/tales-word.safetensors from a clone of the repository into models/, or train it with `storyteller train --config configs/tales-word.json`',
};

/** A path as given, or NAME → models/NAME.safetensors. */
export function resolveModelPath(nameOrPath: string, modelsDir = MODELS_DIR): string {
  // "tales-char.safetensors" names the shipped file too, unless a file of that name is in the working folder.
  const bareFile = nameOrPath.endsWith('.safetensors') && path.basename(nameOrPath) === nameOrPath;
  if (bareFile && !existsSync(nameOrPath) && existsSync(path.join(modelsDir, nameOrPath))) return path.join(modelsDir, nameOrPath);
  if (isPathLike(nameOrPath)) return nameOrPath;
  return path.join(modelsDir, `${nameOrPath}.safetensors`);
}

function isPathLike(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.endsWith('.safetensors') || existsSync(nameOrPath);
}

/** The model files in a folder (not the .best/.latest files training writes beside them), sorted. */
export function listModelFiles(modelsDir = MODELS_DIR): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((f) => f.endsWith('.safetensors') && !/\.(best|latest)\.safetensors$/.test(f))
    .sort()
    .map((f) => path.join(modelsDir, f));
}

export interface LoadModelOptions {
  /** Where bare names are looked up (default: the package's models/). */
  modelsDir?: string;
  /** Numeric backend (default: the fastest available: WebAssembly kernels when supported). */
  backend?: Backend;
  /**
   * Threads for the fastest backend's matrix products when no backend is given (default 1: stories at batch 1
   * are one thread's work; more pays for evaluate() on long texts, which reads 16 streams at once). Results
   * never depend on it.
   */
  threads?: number;
  /** Name for a model given as bytes (default "checkpoint"); names taken from files are their base name. */
  name?: string;
}

/**
 * Reads a checkpoint (weights, tokenizer, card and any trainer state) from a path, a file: URL or its bytes.
 * Throws CheckpointError for a missing, corrupt or foreign file. `label` names bytes in error messages.
 */
export async function readCheckpoint(source: string | URL | Uint8Array, opts: { backend?: Backend; threads?: number; label?: string } = {}): Promise<Checkpoint> {
  const backend = opts.backend ?? (await fastBackend(opts.threads === undefined ? undefined : checkThreads(opts.threads)));
  if (source instanceof Uint8Array) return decodeCheckpoint(opts.label ?? 'checkpoint', source, backend);
  return loadCheckpoint(checkpointFile(source), backend);
}

function checkpointFile(source: string | URL): string {
  if (typeof source === 'string') return source;
  if (source.protocol !== 'file:') throw new UserError(`${source.href}: only file: URLs load directly; fetch the bytes and pass them as a Uint8Array`);
  return fileURLToPath(source);
}

/**
 * Loads a model: a bare name (`'tales-char'`) from the models folder, a path or file: URL to any
 * checkpoint, or a checkpoint's bytes. Throws CheckpointError (a UserError) for a missing, corrupt or
 * foreign file, with the one-line message the CLI prints.
 */
export async function loadModel(nameOrPath: string | URL | Uint8Array, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  if (nameOrPath instanceof Uint8Array) {
    const name = opts.name ?? 'checkpoint';
    const ck = await readCheckpoint(nameOrPath, { backend: opts.backend, threads: opts.threads, label: name });
    return { name, path: '', model: ck.model, tokenizer: ck.tokenizer, card: ck.card };
  }
  let file: string;
  if (typeof nameOrPath === 'string') {
    if (!nameOrPath) throw new UserError('a model name, path, file: URL or checkpoint bytes is needed');
    file = resolveModelPath(nameOrPath, opts.modelsDir);
    if (!isPathLike(nameOrPath) && !existsSync(file)) throw missingModel(nameOrPath, file, opts.modelsDir ?? MODELS_DIR);
  } else file = checkpointFile(nameOrPath);
  const ck = await readCheckpoint(file, { backend: opts.backend, threads: opts.threads });
  return { name: path.basename(file).replace(/\.safetensors$/, ''), path: file, model: ck.model, tokenizer: ck.tokenizer, card: ck.card };
}

/** The models in a folder (default: the package's models/) with their facts, read from headers only. */
export async function listModels(modelsDir = MODELS_DIR): Promise<ModelSummary[]> {
  const out: ModelSummary[] = [];
  for (const file of listModelFiles(modelsDir)) {
    try {
      out.push(await readCheckpointSummary(file));
    } catch {
      // A broken file is reported when someone tries to load it, not in a list.
    }
  }
  return out;
}

function missingModel(name: string, file: string, modelsDir: string): CheckpointError {
  const have = listModelFiles(modelsDir).map((f) => path.basename(f, '.safetensors'));
  const hint = LEFT_OUT_OF_PACKAGE[name.replace(/\.safetensors$/, '')];
  return new CheckpointError(file, `no such file (no model named ${JSON.stringify(name)}; models there: ${have.length ? have.join(', ') : 'none'})${hint ? `: ${hint}` : ''}`);
}

/** The facts of a loaded model, as listed by the story engine and shown by `info`. */
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
