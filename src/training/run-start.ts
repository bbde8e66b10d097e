// How a training run begins, in its three ways: resuming a run exactly where its latest checkpoint left it,
// fine-tuning from another model's weights and vocabulary, or a fresh model drawn from the seed; and the
// data it then trains on (tokens, held-out split, batch shape).
import { createHash } from 'node:crypto';
import { UserError } from '../errors.ts';
import type { Arr, Backend } from '../engine/backend.ts';
import { loadCheckpoint, type OptimizerState } from '../engine/checkpoint.ts';
import { RnnModel, type ModelState } from '../engine/model.ts';
import { Rng, type RngState } from '../engine/rng.ts';
import { CharTokenizer } from '../text/char-tokenizer.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import { WordTokenizer } from '../text/word-tokenizer.ts';
import { kebab, resolveTrainConfig, type TrainConfig } from './config.ts';
import { siblingPath } from './run-files.ts';
import { normalizeText } from '../text/normalize.ts';
import { answerWeights, fitBatchShape, readCorpus, splitTokens, type Split } from './data.ts';
import type { TrainOptions } from './train-options.ts';

/**
 * Options a run fixes at its start (vocabulary, shapes, initialisation, data split, batch shape): a resumed
 * run cannot change them, and asking to is an error rather than silently ignored.
 */
const FIXED_AT_START = ['level', 'unwrap', 'minCount', 'maxVocab', 'valFraction', 'cell', 'layers', 'hiddenSize', 'embeddingSize', 'tieWeights', 'forgetBias', 'recurrentInit', 'batchSize', 'seqLength', 'packLines'] as const;

/** Everything besides tensors that an exact resume needs. */
export interface TrainerState {
  initFrom?: string;
  config: TrainConfig;
  step: number;
  cursor: number;
  B: number;
  T: number;
  rng: RngState;
  bestValLoss: number;
  /** Best selection score so far (runs with a TrainSelect). */
  bestScore?: number;
  evalsSinceBest: number;
  firstLoss: number;
  elapsedSec: number;
  dataHash: string;
}

function buildTokenizer(text: string, c: TrainConfig): Tokenizer {
  return c.level === 'char'
    ? CharTokenizer.fromText(text, c.unwrap)
    : WordTokenizer.fromText(text, { minCount: c.minCount, maxVocab: c.maxVocab, unwrap: c.unwrap });
}

/** Where a run begins: its configuration, vocabulary and model, and on resume the state to carry on from. */
export interface RunStart {
  config: TrainConfig;
  tokenizer: Tokenizer;
  model: RnnModel;
  saved?: TrainerState;
  optimizerRestore?: OptimizerState;
  /** Carried hidden state saved with the run (h_lK, c_lK). */
  savedExtra?: Record<string, Arr>;
}

/** Continues the run in the latest checkpoint (or the one given): options fixed at the start may not change. */
export async function resumeRun(opts: TrainOptions, backend: Backend): Promise<RunStart> {
  const from = typeof opts.resume === 'string' ? opts.resume : siblingPath(opts.out, 'latest');
  const ck = await loadCheckpoint(from, backend);
  const saved = ck.training as TrainerState | undefined;
  if (!saved || !ck.optimizer) throw new UserError(`${from}: has no training state to resume from (it is a weights-only model)`);
  const explicit = (opts.overrides ?? {}) as Record<string, unknown>;
  const before = saved.config as unknown as Record<string, unknown>;
  for (const k of FIXED_AT_START) {
    if (k in explicit && explicit[k] !== undefined && explicit[k] !== before[k]) {
      throw new UserError(`${from} was trained with --${kebab(k)} ${before[k]}; a resumed run cannot change it to ${explicit[k]} (train a new model with another --out, or fine-tune with --init ${from})`);
    }
  }
  const config = resolveTrainConfig(before, explicit);
  let model = ck.model;
  if (config.dropout !== model.config.dropout) {
    // Dropout changes nothing stored, so a resumed run may change it: the same weights in a model with the new rate.
    model = new RnnModel({ ...ck.model.config, dropout: config.dropout }, backend);
    model.params.data.set(ck.model.params.data);
    ck.model.dispose();
  }
  return { config, tokenizer: ck.tokenizer, model, saved, optimizerRestore: ck.optimizer, savedExtra: ck.extra };
}

/** Starts from a checkpoint's weights and vocabulary (fine-tuning): its cell and sizes are kept. */
export async function fineTuneFrom(init: string, opts: TrainOptions, backend: Backend): Promise<RunStart> {
  const ck = await loadCheckpoint(init, backend);
  const m = ck.model.config;
  const arch = { level: ck.tokenizer.level, cell: m.cell, layers: m.layers, hiddenSize: m.hiddenSize, embeddingSize: m.embeddingSize, tieWeights: m.tieWeights };
  const explicit = (opts.overrides ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(arch)) {
    if (k in explicit && explicit[k] !== v) throw new UserError(`${init} has ${k} ${v}; a model started from it cannot have ${explicit[k]}`);
  }
  const config = { ...opts.config, ...arch };
  // A fresh model so this run's dropout applies, holding the checkpoint's weights.
  const model = new RnnModel({ ...m, dropout: config.dropout }, backend);
  model.params.data.set(ck.model.params.data);
  ck.model.dispose();
  return { config, tokenizer: ck.tokenizer, model };
}

/** A vocabulary built from the text and a model drawn at random from the seed. */
export function freshModel(text: string, config: TrainConfig, backend: Backend): RunStart {
  const tokenizer = buildTokenizer(text, config);
  const model = new RnnModel(
    {
      cell: config.cell,
      layers: config.layers,
      hiddenSize: config.hiddenSize,
      embeddingSize: config.embeddingSize,
      vocabSize: tokenizer.vocab.length,
      dropout: config.dropout,
      tieWeights: config.tieWeights,
    },
    backend,
  );
  model.params.init(new Rng(`${config.seed}/init`), config.forgetBias, config.recurrentInit);
  return { config, tokenizer, model };
}

/** Puts the hidden state a resumed run carried (saved as h_lK, c_lK) back into `state`. */
export function restoreHidden(state: ModelState, saved: Record<string, Arr>): void {
  for (let k = 0; k < state.h.length; k++) {
    if (saved[`h_l${k}`]) state.h[k].set(saved[`h_l${k}`]);
    if (saved[`c_l${k}`] && state.c[k]) state.c[k]!.set(saved[`c_l${k}`]);
  }
}

/** A run's start with the data it trains on, and warnings about that data for the run to report. */
export interface PreparedRun extends RunStart {
  /** The corpus files read, in order. */
  files: string[];
  charsPerToken: number;
  /** Identifies the training tokens, so a resumed run notices new data. */
  dataHash: string;
  /** A resumed run whose data changed: its cursor and best figures start afresh. */
  dataChanged: boolean;
  split: Split;
  /** Batch streams and tokens per stream and step: the configured sizes unless the text is too short, or the resumed run's. */
  B: number;
  T: number;
  warnings: string[];
}

function hashTokens(t: Int32Array): string {
  return createHash('sha256').update(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)).digest('hex').slice(0, 16);
}

/** Reads the corpus, starts the run (resume, fine-tune or fresh) and cuts its tokens into training and validation text. */
export async function prepareRun(opts: TrainOptions, backend: Backend): Promise<PreparedRun> {
  const { text, files } = await readCorpus(opts.data);
  const start = opts.resume ? await resumeRun(opts, backend) : opts.init ? await fineTuneFrom(opts.init, opts, backend) : freshModel(text, opts.config, backend);
  const { config, tokenizer, saved } = start;
  const warnings: string[] = [];

  const tokens = tokenizer.encodeCorpus(text);
  const charsPerToken = normalizeText(text, { unwrap: config.unwrap }).length / Math.max(1, tokens.length);
  const dataHash = hashTokens(tokens);
  const dataChanged = !!saved && saved.dataHash !== dataHash;
  if (dataChanged) {
    warnings.push('the training data differs from the data this run started with: resuming on the new data, with the best validation loss measured afresh');
  }
  const split = splitTokens(tokens, config.valFraction);
  const { B, T } = saved ? { B: saved.B, T: saved.T } : fitBatchShape(split.train.length, config.batchSize, config.seqLength);
  if (!saved && (B !== config.batchSize || T !== config.seqLength)) {
    const using = [B !== config.batchSize ? `batch size ${B}` : '', T !== config.seqLength ? `sequence length ${T}` : ''].filter(Boolean).join(' and ');
    warnings.push(
      `the training text (${split.train.length.toLocaleString('en')} tokens) is too short for ${config.batchSize} streams of ${config.seqLength} tokens (--batch-size, --seq-length): using ${using}`,
    );
  }
  if (split.valIsTrain) {
    warnings.push(`the corpus is too small to hold text out (${tokens.length} tokens): validation uses the training text, so its loss measures memorisation`);
  }
  return { ...start, files, charsPerToken, dataHash, dataChanged, split, B, T, warnings };
}

/** The training tokens' loss weights under --answer-cue and --answer-weight (null: every token alike). */
export function trainWeights(tokens: Int32Array, tokenizer: Tokenizer, config: Pick<TrainConfig, 'answerCue' | 'answerWeight'>): Float32Array | null {
  if (config.answerCue === '' || config.answerWeight === 1) return null;
  let cue: number[];
  try {
    cue = tokenizer.encodePrompt(config.answerCue, 'error').ids;
  } catch {
    throw new UserError(`--answer-cue ${JSON.stringify(config.answerCue)} has characters or words the corpus never uses`);
  }
  // Characters: the answer is the letters after the cue. Words: the one word after it.
  const isLetters = (id: number) => /^\p{L}+$/u.test(tokenizer.vocab[id]!);
  return answerWeights(tokens, cue, isLetters, config.answerWeight, tokenizer.level === 'char' ? Infinity : 1);
}

/** The newline token that separates the lines --pack-lines packs. */
export function lineBreak(tokenizer: Tokenizer): number {
  const id = tokenizer.idOf('\n');
  if (id === undefined) throw new UserError('--pack-lines needs a corpus of lines read with --no-unwrap; this vocabulary has no line break');
  return id;
}
