// Every training option described once: its recipe key (the TrainConfig key), its flag (the key in
// kebab-case), type, default, help text and rule. The storyteller train flags and their --help, the
// recipe (configs/*.json) checks and DEFAULT_TRAIN_CONFIG all come from TRAIN_OPTIONS. A recipe and the
// command line override the defaults; unknown keys and out-of-range values are rejected with the
// offending value named.
import { UserError } from '../errors.ts';
import { CELL_TYPES, type CellType, type TokenLevel } from '../engine/config.ts';
import type { RecurrentInit } from '../engine/params.ts';

/** The training options; each one's meaning, default and range are in TRAIN_OPTIONS. */
export interface TrainConfig {
  // Data
  level: TokenLevel;
  unwrap: boolean;
  minCount: number;
  maxVocab: number;
  valFraction: number;
  // Model
  cell: CellType;
  layers: number;
  hiddenSize: number;
  embeddingSize: number;
  dropout: number;
  tieWeights: boolean;
  forgetBias: number;
  recurrentInit: RecurrentInit;
  // Optimisation
  optimizer: 'adam' | 'sgd';
  lr: number;
  lrDecay: number;
  lrDecayEvery: number;
  gradClip: number;
  seqLength: number;
  batchSize: number;
  answerCue: string;
  answerWeight: number;
  packLines: boolean;
  // Schedule
  maxSteps: number;
  maxMinutes: number;
  evalEvery: number;
  evalTokens: number;
  patience: number;
  checkpointEvery: number;
  logEvery: number;
  sampleEvery: number;
  seed: string;
}

/** How one option is given and checked. 'int' is a whole number; its flag refuses 1.5 as a recipe does. */
export interface TrainOption<V> {
  type: [V] extends [boolean] ? 'boolean' : [V] extends [number] ? 'int' | 'number' : 'string';
  default: V;
  /** One line for --help. */
  help: string;
  /** The values a string option takes. */
  choices?: readonly string[];
  /** Bounds of an int option (min defaults to 0). */
  min?: number;
  max?: number;
  /** The rule a number option's value must keep, as its error states it: "--lr must be in (0, 10) (got 12)". */
  rule?: { ok: (v: number) => boolean; says: string };
}

export const TRAIN_OPTIONS: { readonly [K in keyof TrainConfig]: TrainOption<TrainConfig[K]> } = {
  // Data
  level: { type: 'string', default: 'char', choices: ['char', 'word'], help: 'char or word tokens (word: words and punctuation)' },
  unwrap: { type: 'boolean', default: true, help: 'join hard-wrapped lines into paragraphs before tokenizing' },
  minCount: { type: 'int', default: 2, min: 1, help: 'word level: rarer words become <unk>' },
  maxVocab: { type: 'int', default: 10000, min: 1, help: 'word level: vocabulary cap, <unk> included' },
  valFraction: { type: 'number', default: 0.05, rule: { ok: (v) => v >= 0 && v < 0.5, says: 'must be in [0, 0.5)' }, help: 'fraction of the corpus (its tail) held out for validation' },
  // Model
  cell: { type: 'string', default: 'lstm', choices: CELL_TYPES, help: 'recurrent cell' },
  layers: { type: 'int', default: 2, min: 1, max: 16, help: 'stacked recurrent layers' },
  hiddenSize: { type: 'int', default: 256, min: 1, max: 4096, help: 'units per layer' },
  embeddingSize: { type: 'int', default: 32, min: 1, max: 4096, help: 'embedding width' },
  dropout: { type: 'number', default: 0, rule: { ok: (v) => v >= 0 && v < 1, says: 'must be in [0, 1)' }, help: 'dropout rate on the embedding, between layers and before the decoder (training only)' },
  tieWeights: { type: 'boolean', default: false, help: 'share embedding and decoder weights (needs --embedding-size equal to --hidden-size)' },
  forgetBias: { type: 'number', default: 1, rule: { ok: (v) => Math.abs(v) <= 10, says: 'must be between -10 and 10' }, help: 'LSTM: added to the forget-gate bias at initialisation (PyTorch: 0)' },
  recurrentInit: { type: 'string', default: 'uniform', choices: ['uniform', 'orthogonal'], help: 'recurrent weights start uniform ±1/√H (PyTorch) or orthogonal per gate' },
  // Optimisation
  optimizer: { type: 'string', default: 'adam', choices: ['adam', 'sgd'], help: 'adam or sgd' },
  lr: { type: 'number', default: 2e-3, rule: { ok: (v) => v > 0 && v < 10, says: 'must be in (0, 10)' }, help: 'learning rate' },
  lrDecay: { type: 'number', default: 1, rule: { ok: (v) => v > 0 && v <= 1, says: 'must be in (0, 1]' }, help: 'multiply the learning rate by this every --lr-decay-every steps (1 = constant)' },
  lrDecayEvery: { type: 'int', default: 1000, min: 1, help: 'steps between learning-rate decays' },
  gradClip: { type: 'number', default: 5, rule: { ok: (v) => v >= 0, says: 'must be ≥ 0' }, help: 'global gradient-norm clip (0 = off)' },
  seqLength: { type: 'int', default: 64, min: 1, help: 'truncated BPTT length (the state is carried across batches)' },
  batchSize: { type: 'int', default: 32, min: 1, help: 'parallel streams per step' },
  answerCue: { type: 'string', default: '', help: 'text after which the corpus states an answer ("I speak fluent "): the answer word counts --answer-weight times in the loss' },
  packLines: { type: 'boolean', default: false, help: 'every window starts from a fresh state at the start of a line: whole lines (independent episodes) packed into windows of --seq-length, the rest not scored' },
  answerWeight: { type: 'number', default: 1, rule: { ok: (v) => v >= 1 && v <= 1000, says: 'must be in [1, 1000]' }, help: 'loss weight of the answer after --answer-cue (1 = every token alike)' },
  // Schedule
  maxSteps: { type: 'int', default: 2000, min: 1, help: 'stop after this many steps' },
  maxMinutes: { type: 'number', default: 0, rule: { ok: (v) => v >= 0, says: 'must be ≥ 0' }, help: 'stop after this many minutes (0 = no limit)' },
  evalEvery: { type: 'int', default: 200, min: 1, help: 'steps between validation passes (and best-checkpoint saves)' },
  evalTokens: { type: 'int', default: 50000, help: 'validation tokens per pass (0 = all)' },
  patience: { type: 'int', default: 0, help: 'stop after this many evaluations without improvement (0 = never)' },
  checkpointEvery: { type: 'int', default: 0, help: 'steps between latest checkpoints (0 = at each evaluation)' },
  logEvery: { type: 'int', default: 10, min: 1, help: 'steps between progress reports' },
  sampleEvery: { type: 'int', default: 0, help: 'steps between sample stories (0 = none)' },
  seed: { type: 'string', default: 'storyteller', help: 'seed for initialisation and dropout' },
};

export type TrainOptionKey = keyof TrainConfig;
export type AnyTrainOption = TrainOption<string> | TrainOption<number> | TrainOption<boolean>;

/** The options in order, each with its recipe key and its flag (without the dashes). */
export const TRAIN_OPTION_LIST: ReadonlyArray<AnyTrainOption & { key: TrainOptionKey; flag: string }> = (Object.keys(TRAIN_OPTIONS) as TrainOptionKey[]).map((key) => ({
  ...(TRAIN_OPTIONS[key] as AnyTrainOption),
  key,
  flag: kebab(key),
}));

export const DEFAULT_TRAIN_CONFIG: TrainConfig = Object.fromEntries(TRAIN_OPTION_LIST.map((o) => [o.key, o.default])) as unknown as TrainConfig;

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Merges overrides into the defaults, rejecting unknown keys and wrong types. */
export function resolveTrainConfig(...layers: Array<Record<string, unknown>>): TrainConfig {
  const out: Record<string, unknown> = { ...DEFAULT_TRAIN_CONFIG };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (!Object.hasOwn(TRAIN_OPTIONS, key)) throw new UserError(`unknown training option "${kebab(key)}"`);
      const expected = typeof TRAIN_OPTIONS[key as TrainOptionKey].default;
      if (typeof value !== expected) throw new UserError(`${kebab(key)} must be a ${expected} (got ${JSON.stringify(value)})`);
      out[key] = value;
    }
  }
  const c = out as unknown as TrainConfig;
  validateTrainConfig(c);
  return c;
}

/** Checks every option against its description in TRAIN_OPTIONS, then the rules that join two options. */
export function validateTrainConfig(c: TrainConfig): void {
  // One rule per option, stated the same way whichever side of it the value falls (0 or -1 alike).
  for (const o of TRAIN_OPTION_LIST) {
    const v = c[o.key] as unknown;
    const bad = (rule: string) => new UserError(`--${o.flag} ${rule} (got ${v})`);
    if (o.type === 'int') {
      const min = o.min ?? 0;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`must be a whole number, at least ${min}`);
      if (o.max !== undefined && v > o.max) throw bad(`must be at most ${o.max}`);
    }
    if (o.rule && !o.rule.ok(v as number)) throw bad(o.rule.says);
    if (o.choices && !o.choices.includes(v as string)) throw bad(`must be ${o.choices.length === 2 ? o.choices.join(' or ') : o.choices.join(', ')}`);
  }
  if (c.tieWeights && c.embeddingSize !== c.hiddenSize) {
    throw new UserError(`--tie-weights needs --embedding-size equal to --hidden-size (got ${c.embeddingSize} and ${c.hiddenSize})`);
  }
}
