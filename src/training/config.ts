// Every training option with its default in one place. A recipe (configs/*.json) and command-line flags
// override these; unknown keys and out-of-range values are rejected with the offending value named.
import { UserError } from '../errors.ts';
import { CELL_TYPES, type CellType, type TokenLevel } from '../engine/config.ts';
import type { RecurrentInit } from '../engine/params.ts';

export interface TrainConfig {
  // Data
  level: TokenLevel; // char: one token per character; word: words and punctuation
  unwrap: boolean; // join hard-wrapped lines into paragraphs before tokenizing
  minCount: number; // word level: rarer words become <unk>
  maxVocab: number; // word level: vocabulary cap including <unk>
  valFraction: number; // tail of the corpus held out for validation
  // Model
  cell: CellType;
  layers: number;
  hiddenSize: number;
  embeddingSize: number;
  dropout: number; // on embedding, between layers and before the decoder
  tieWeights: boolean; // decoder shares the embedding (needs embeddingSize == hiddenSize)
  forgetBias: number; // LSTM: added to the forget-gate bias at initialisation (PyTorch's nn.LSTM: 0)
  recurrentInit: RecurrentInit; // recurrent weights: uniform ±1/√H (PyTorch) or orthogonal per gate
  // Optimisation
  optimizer: 'adam' | 'sgd';
  lr: number;
  lrDecay: number; // multiply lr by this every lrDecayEvery steps (1 = constant)
  lrDecayEvery: number;
  gradClip: number; // global gradient-norm clip (0 = off)
  seqLength: number; // truncated BPTT length; state is carried across batches
  batchSize: number; // parallel streams through the corpus
  // Schedule
  maxSteps: number;
  maxMinutes: number; // wall-clock budget (0 = none)
  evalEvery: number; // steps between validation passes and best-checkpoint saves
  evalTokens: number; // cap on validation tokens per pass (0 = all)
  patience: number; // stop after this many evaluations without improvement (0 = never)
  checkpointEvery: number; // steps between `latest` checkpoints (0 = at evaluations)
  logEvery: number; // steps between progress events
  sampleEvery: number; // steps between sample stories in the log (0 = none)
  seed: string;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  level: 'char',
  unwrap: true,
  minCount: 2,
  maxVocab: 10000,
  valFraction: 0.05,
  cell: 'lstm',
  layers: 2,
  hiddenSize: 256,
  embeddingSize: 32,
  dropout: 0,
  tieWeights: false,
  forgetBias: 1,
  recurrentInit: 'uniform',
  optimizer: 'adam',
  lr: 2e-3,
  lrDecay: 1,
  lrDecayEvery: 1000,
  gradClip: 5,
  seqLength: 64,
  batchSize: 32,
  maxSteps: 2000,
  maxMinutes: 0,
  evalEvery: 200,
  evalTokens: 50000,
  patience: 0,
  checkpointEvery: 0,
  logEvery: 10,
  sampleEvery: 0,
  seed: 'storyteller',
};

const INT_KEYS = ['minCount', 'maxVocab', 'layers', 'hiddenSize', 'embeddingSize', 'lrDecayEvery', 'seqLength', 'batchSize', 'maxSteps', 'evalEvery', 'evalTokens', 'patience', 'checkpointEvery', 'logEvery', 'sampleEvery'] as const;

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Merges overrides into the defaults, rejecting unknown keys and wrong types. */
export function resolveTrainConfig(...layers: Array<Record<string, unknown>>): TrainConfig {
  const out: Record<string, unknown> = { ...DEFAULT_TRAIN_CONFIG };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (!(key in DEFAULT_TRAIN_CONFIG)) throw new UserError(`unknown training option "${kebab(key)}"`);
      const def = (DEFAULT_TRAIN_CONFIG as unknown as Record<string, unknown>)[key];
      if (typeof def !== typeof value) throw new UserError(`${kebab(key)} must be a ${typeof def} (got ${JSON.stringify(value)})`);
      out[key] = value;
    }
  }
  const c = out as unknown as TrainConfig;
  validateTrainConfig(c);
  return c;
}

export function validateTrainConfig(c: TrainConfig): void {
  const bad = (key: string, rule: string, v: unknown) => new UserError(`--${kebab(key)} ${rule} (got ${v})`);
  // One rule per option, stated the same way whichever side of it the value falls (0 or -1 alike).
  const atLeastOne: readonly string[] = ['layers', 'hiddenSize', 'embeddingSize', 'seqLength', 'batchSize', 'maxSteps', 'evalEvery', 'logEvery', 'lrDecayEvery', 'maxVocab', 'minCount'];
  for (const k of INT_KEYS) {
    const min = atLeastOne.includes(k) ? 1 : 0;
    if (!Number.isInteger(c[k]) || c[k] < min) throw bad(k, `must be a whole number, at least ${min}`, c[k]);
  }
  if (c.hiddenSize > 4096 || c.embeddingSize > 4096) throw new UserError(`sizes above 4096 are not supported (hidden ${c.hiddenSize}, embedding ${c.embeddingSize})`);
  if (c.layers > 16) throw bad('layers', 'must be at most 16', c.layers);
  if (!['char', 'word'].includes(c.level)) throw bad('level', 'must be char or word', c.level);
  if (!(CELL_TYPES as readonly string[]).includes(c.cell)) throw bad('cell', `must be ${CELL_TYPES.join(', ')}`, c.cell);
  if (!['uniform', 'orthogonal'].includes(c.recurrentInit)) throw bad('recurrentInit', 'must be uniform or orthogonal', c.recurrentInit);
  if (!['adam', 'sgd'].includes(c.optimizer)) throw bad('optimizer', 'must be adam or sgd', c.optimizer);
  if (!(c.lr > 0 && c.lr < 10)) throw bad('lr', 'must be in (0, 10)', c.lr);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw bad('dropout', 'must be in [0, 1)', c.dropout);
  if (!(c.gradClip >= 0)) throw bad('gradClip', 'must be ≥ 0', c.gradClip);
  if (!(Math.abs(c.forgetBias) <= 10)) throw bad('forgetBias', 'must be between -10 and 10', c.forgetBias);
  if (!(c.lrDecay > 0 && c.lrDecay <= 1)) throw bad('lrDecay', 'must be in (0, 1]', c.lrDecay);
  if (!(c.valFraction >= 0 && c.valFraction < 0.5)) throw bad('valFraction', 'must be in [0, 0.5)', c.valFraction);
  if (!(c.maxMinutes >= 0)) throw bad('maxMinutes', 'must be ≥ 0', c.maxMinutes);
  if (c.tieWeights && c.embeddingSize !== c.hiddenSize) {
    throw new UserError(`--tie-weights needs --embedding-size equal to --hidden-size (got ${c.embeddingSize} and ${c.hiddenSize})`);
  }
}
