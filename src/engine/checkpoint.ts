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
import { RNNModel } from './model.ts';
import { paramSpecs } from './params.ts';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { decodeSafetensors, encodeSafetensors, type TensorEntry } from './safetensors.ts';

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
  model: RNNModel;
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

/** The model card, without the null figures older releases wrote for a run not yet validated (JSON has no Infinity). */
function parseCard(file: string, meta: Record<string, string>): ModelCard {
  if (!meta.card) return {};
  const card = parseJson<Record<string, unknown>>(file, meta, 'card');
  for (const [k, v] of Object.entries(card)) if (v === null) delete card[k];
  return card as ModelCard;
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
  const config = parseJson<ModelConfig>(file, meta, 'config');
  try {
    validateModelConfig(config);
  } catch (e) {
    throw new CheckpointError(file, `corrupt model config: ${(e as Error).message}`);
  }
  let tokenizer: Tokenizer;
  try {
    tokenizer = tokenizerFromJSON(parseJson<SerializedTokenizer>(file, meta, 'tokenizer'));
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(file, `corrupt tokenizer: ${(e as Error).message}`);
  }
  if (tokenizer.vocab.length !== config.vocabSize) throw new CheckpointError(file, 'corrupt: tokenizer and model disagree on the vocabulary size');
  const model = new RNNModel(config, backend);
  for (const spec of model.params.specs) {
    const t = st.tensors.get(spec.name);
    if (!t) throw new CheckpointError(file, `corrupt: tensor ${spec.name} is missing`);
    if (t.shape.join('x') !== spec.shape.join('x')) {
      throw new CheckpointError(file, `corrupt: tensor ${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
    }
    model.params.view(spec.name).set(t.data);
  }
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
    await fh.read(head, 0, 8, 0);
    const n = Number(head.readBigUInt64LE(0));
    const { size } = await fh.stat();
    if (n > size - 8 || n > 64 * 1024 * 1024) throw new CheckpointError(file, 'truncated or not a safetensors file');
    const json = Buffer.alloc(n);
    await fh.read(json, 0, n, 8);
    const meta = (JSON.parse(json.toString('utf8')).__metadata__ ?? {}) as Record<string, string>;
    if (meta.format !== FORMAT) throw new CheckpointError(file, 'not an lstm-storyteller checkpoint');
    const config = parseJson<ModelConfig>(file, meta, 'config');
    const tok = parseJson<SerializedTokenizer>(file, meta, 'tokenizer');
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
