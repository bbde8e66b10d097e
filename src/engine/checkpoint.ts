// Checkpoints: model weights under PyTorch word_language_model names (loadable there with strict=True once
// the optional optimizer.* tensors are left out), plus metadata: format version, model config, tokenizer,
// training state and a model card. Optimizer moments are stored as optimizer.m / optimizer.v (flat, in
// parameter order) so training resumes exactly; `stripOptimizer` removes them for shipping.
import { promises as fs } from 'node:fs';
import { CheckpointError } from '../errors.ts';
import { tokenizerFromJSON } from '../text/index.ts';
import type { SerializedTokenizer, Tokenizer } from '../text/tokenizer.ts';
import type { Arr, Backend } from './backend.ts';
import { validateModelConfig, type CellType, type ModelConfig, type TokenLevel } from './config.ts';
import { RnnModel } from './model.ts';
import { paramSpecs } from './params.ts';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader, type TensorEntry } from './safetensors.ts';

export const FORMAT = 'lstm-storyteller';
export const FORMAT_VERSION = 1;

/** Facts about a trained model shown by `info`, the TUI header, the bot's /model and the model cards. */
export interface ModelCard {
  name?: string;
  data?: string[];
  steps?: number;
  wallSec?: number;
  trainLoss?: number;
  valLoss?: number;
  valBpc?: number;
  valPerplexity?: number;
  charsPerToken?: number;
  createdAt?: string;
  /** The checkpoint whose weights training started from (fine-tuning), when not a random draw. */
  initFrom?: string;
  /** The held-out score that chose these weights among the run's evaluations, when one did. */
  selectedBy?: { name: string; score: number };
}

/** A model's facts for lists and headers (`info`, the TUI, the bot's /model), read without loading weights. */
export interface ModelSummary {
  /** Short name (file name without .safetensors) or the path it was loaded from. */
  name: string;
  path: string;
  level: TokenLevel;
  cell: CellType;
  layers: number;
  hiddenSize: number;
  params: number;
  vocabSize: number;
  /** Validation figure from training: bits per character (char) or perplexity (word). */
  valBpc?: number;
  valPerplexity?: number;
  /** Training steps the weights have seen. */
  steps?: number;
}

export interface OptimizerState {
  m: Arr;
  v: Arr;
  /** Adam step count (bias correction). */
  t: number;
}

export interface Checkpoint {
  model: RnnModel;
  tokenizer: Tokenizer;
  card: ModelCard;
  /** Trainer state for exact resume (opaque JSON owned by src/training). */
  training?: unknown;
  optimizer?: OptimizerState;
  /** Trainer tensors (the carried hidden state) saved with the optimizer, named trainer.*. */
  extra?: Record<string, Arr>;
}

export interface SaveOptions {
  /** Also store the optimizer moments and trainer tensors (a `latest` file for resuming). */
  withOptimizer?: boolean;
  /** Store the weights as 16-bit floats (half the size; widened to Float32 on load). Optimizer state stays 32-bit. */
  weights?: 'F16' | 'BF16';
}

export async function saveCheckpoint(path: string, ck: Checkpoint, opts: SaveOptions = {}): Promise<void> {
  const { model } = ck;
  const dtype = model.backend.dtype === 'f64' ? 'F64' : 'F32';
  const weightDtype = opts.weights ?? dtype;
  const tensors: Array<[string, TensorEntry]> = [];
  const names = model.params.specs.map((s) => s.name);
  if (model.config.tieWeights) names.splice(names.indexOf('decoder.bias'), 0, 'decoder.weight');
  for (const name of names) {
    const spec = model.params.spec(name);
    tensors.push([name, { dtype: weightDtype, shape: name === 'decoder.weight' ? [model.config.vocabSize, model.config.hiddenSize] : spec.shape, data: model.params.view(name) }]);
  }
  const meta: Record<string, string> = {
    format: FORMAT,
    format_version: String(FORMAT_VERSION),
    config: JSON.stringify(model.config),
    tokenizer: JSON.stringify(ck.tokenizer.toJSON()),
    card: JSON.stringify(ck.card),
  };
  if (ck.training !== undefined) meta.training = JSON.stringify(ck.training);
  if (opts.withOptimizer && ck.optimizer) {
    tensors.push(['optimizer.m', { dtype, shape: [ck.optimizer.m.length], data: ck.optimizer.m }]);
    tensors.push(['optimizer.v', { dtype, shape: [ck.optimizer.v.length], data: ck.optimizer.v }]);
    meta.optimizer_t = String(ck.optimizer.t);
  }
  if (opts.withOptimizer && ck.extra) {
    for (const [name, data] of Object.entries(ck.extra)) tensors.push([`trainer.${name}`, { dtype, shape: [data.length], data }]);
  }
  await writeFileAtomic(path, encodeSafetensors(meta, tensors));
}

function parseJson<T>(file: string, meta: Record<string, string>, key: string): T {
  if (meta[key] === undefined) throw new CheckpointError(file, `corrupt: metadata lacks "${key}"`);
  try {
    return JSON.parse(meta[key]) as T;
  } catch {
    throw new CheckpointError(file, `corrupt: metadata "${key}" is not valid JSON`);
  }
}

const CARD_NUMBERS = ['steps', 'wallSec', 'trainLoss', 'valLoss', 'valBpc', 'valPerplexity', 'charsPerToken'] as const;
const CARD_STRINGS = ['name', 'createdAt', 'initFrom'] as const;

/**
 * The model card, keeping only figures of the right type: older releases wrote null for a run not yet
 * validated (JSON has no Infinity), and a damaged file can hold anything; `info`, `card` and the TUI print
 * these fields and must not meet a string where they expect a number.
 */
function parseCard(file: string, meta: Record<string, string>): ModelCard {
  if (!meta.card) return {};
  const raw = parseJson<unknown>(file, meta, 'card');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CheckpointError(file, 'corrupt: metadata "card" is not an object');
  const card = { ...raw } as Record<string, unknown>;
  for (const k of CARD_NUMBERS) if (k in card && !Number.isFinite(card[k])) delete card[k];
  for (const k of CARD_STRINGS) if (k in card && typeof card[k] !== 'string') delete card[k];
  if ('data' in card && !(Array.isArray(card.data) && card.data.every((d) => typeof d === 'string'))) delete card.data;
  const sel = card.selectedBy as { name?: unknown; score?: unknown } | undefined;
  if ('selectedBy' in card && !(sel && typeof sel.name === 'string' && Number.isFinite(sel.score))) delete card.selectedBy;
  return card as ModelCard;
}

/**
 * The model config from the metadata, checked. Each layer has its own tensors, so a config with more layers
 * than the file has tensors is corrupt (and a layer count like 1e100 must not be looped over).
 */
function checkedConfig(file: string, meta: Record<string, string>, tensorCount: number): ModelConfig {
  const config = parseJson<ModelConfig>(file, meta, 'config');
  try {
    if (typeof config !== 'object' || config === null) throw new RangeError('not an object');
    validateModelConfig(config);
  } catch (e) {
    throw new CheckpointError(file, `corrupt model config: ${(e as Error).message}`);
  }
  if (config.layers > tensorCount) throw new CheckpointError(file, `corrupt model config: ${config.layers} layers, but the file holds ${tensorCount} tensors`);
  return config;
}

export async function loadCheckpoint(file: string, backend: Backend): Promise<Checkpoint> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a checkpoint' : `cannot read (${code})`);
  }
  return decodeCheckpoint(file, buf, backend);
}

/** A checkpoint from its bytes (a file already read, a download); `file` names it in error messages. */
export function decodeCheckpoint(file: string, bytes: Uint8Array, backend: Backend): Checkpoint {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const st = decodeSafetensors(file, buf);
  const meta = st.metadata;
  if (meta.format !== FORMAT) throw new CheckpointError(file, 'not an lstm-storyteller checkpoint (no format marker in its metadata)');
  if (meta.format_version !== String(FORMAT_VERSION)) {
    throw new CheckpointError(file, `format version ${meta.format_version}; this program reads version ${FORMAT_VERSION} (retrain or use a matching release)`);
  }
  const config = checkedConfig(file, meta, st.tensors.size);
  let tokenizer: Tokenizer;
  try {
    tokenizer = tokenizerFromJSON(parseJson<SerializedTokenizer>(file, meta, 'tokenizer'));
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(file, `corrupt tokenizer: ${(e as Error).message}`);
  }
  if (tokenizer.vocab.length !== config.vocabSize) throw new CheckpointError(file, 'corrupt: tokenizer and model disagree on the vocabulary size');
  // Every tensor the config implies must be in the file with its shape before anything is allocated: a
  // damaged config (hiddenSize 2^31) must not make the loader allocate gigabytes and run out of memory.
  for (const spec of paramSpecs(config)) {
    const t = st.tensors.get(spec.name);
    if (!t) throw new CheckpointError(file, `corrupt: tensor ${spec.name} is missing`);
    if (t.shape.join('x') !== spec.shape.join('x')) {
      throw new CheckpointError(file, `corrupt: tensor ${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
    }
  }
  const model = new RnnModel(config, backend);
  for (const spec of model.params.specs) model.params.view(spec.name).set(st.tensors.get(spec.name)!.data);
  for (let i = 0; i < model.params.size; i++) {
    if (!Number.isFinite(model.params.data[i])) throw new CheckpointError(file, 'corrupt: weights contain NaN or infinity');
  }
  const m = st.tensors.get('optimizer.m');
  const v = st.tensors.get('optimizer.v');
  let optimizer: OptimizerState | undefined;
  if (m && v && m.data.length === model.params.size && v.data.length === model.params.size) {
    const mm = backend.alloc(model.params.size);
    const vv = backend.alloc(model.params.size);
    mm.set(m.data);
    vv.set(v.data);
    optimizer = { m: mm, v: vv, t: Number(meta.optimizer_t ?? 0) };
  }
  const extra: Record<string, Arr> = {};
  for (const [name, t] of st.tensors) if (name.startsWith('trainer.')) extra[name.slice(8)] = t.data;
  return {
    model,
    tokenizer,
    extra,
    card: parseCard(file, meta),
    training: meta.training ? parseJson<unknown>(file, meta, 'training') : undefined,
    optimizer,
  };
}

/** Rewrites a checkpoint without optimizer moments or trainer state (what models/ ships). */
export async function stripCheckpoint(input: string, output: string, backend: Backend, weights?: 'F16' | 'BF16'): Promise<void> {
  const ck = await loadCheckpoint(input, backend);
  await saveCheckpoint(output, { model: ck.model, tokenizer: ck.tokenizer, card: ck.card }, { weights });
}

/** The facts of a checkpoint read from its header alone (cheap: used to list models/). */
export async function readCheckpointSummary(file: string): Promise<ModelSummary> {
  const fh = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const n = bytesRead === 8 ? Number(head.readBigUInt64LE(0)) : 0;
    const { size } = await fh.stat();
    if (bytesRead < 8 || n > size - 8 || n > 64 * 1024 * 1024) throw new CheckpointError(file, 'truncated or not a safetensors file');
    const start = Buffer.alloc(8 + n);
    await fh.read(start, 0, 8 + n, 0);
    const header = readSafetensorsHeader(file, start, size);
    const meta = header.metadata;
    if (meta.format !== FORMAT) throw new CheckpointError(file, 'not an lstm-storyteller checkpoint');
    const config = checkedConfig(file, meta, header.entries.length);
    const tok = parseJson<SerializedTokenizer>(file, meta, 'tokenizer');
    if (tok?.level !== 'char' && tok?.level !== 'word') throw new CheckpointError(file, 'corrupt tokenizer: its level is neither char nor word');
    const card = parseCard(file, meta);
    return {
      name: path.basename(file).replace(/\.safetensors$/, ''),
      path: file,
      level: tok.level,
      cell: config.cell,
      layers: config.layers,
      hiddenSize: config.hiddenSize,
      params: paramSpecs(config).reduce((a, s) => a + s.size, 0),
      vocabSize: config.vocabSize,
      valBpc: card.valBpc,
      valPerplexity: card.valPerplexity,
      steps: card.steps,
    };
  } finally {
    await fh.close();
  }
}
