// Corpus loading, the train/validation split and the batch streams of truncated BPTT.
// The training tokens are cut into B parallel streams read in order, T tokens per step, so the hidden
// state carried from one batch to the next belongs to the text that follows.
import { expandCorpusPaths, readTextFile } from '../corpus/files.ts';
import { UserError } from '../errors.ts';

/** Reads text files, or every .txt file under a folder (sorted), joined by blank lines. */
export async function readCorpus(paths: string[]): Promise<{ text: string; files: string[] }> {
  if (paths.length === 0) throw new UserError('no training data: give --data FILE_OR_FOLDER');
  const files = await expandCorpusPaths(paths);
  const parts = await Promise.all(files.map(readTextFile));
  const text = parts.join('\n\n');
  if (text.trim().length === 0) throw new UserError(`the corpus is empty (${files.join(', ')}): there is no text to learn from`);
  return { text, files };
}

export interface Split {
  train: Int32Array;
  val: Int32Array;
  /** True when the corpus was too small to hold text out and validation reuses the training text. */
  valIsTrain: boolean;
}

export function splitTokens(tokens: Int32Array, valFraction: number): Split {
  const nVal = Math.floor(tokens.length * valFraction);
  if (tokens.length < 2) throw new UserError(`the corpus has ${tokens.length} token(s); at least 2 are needed to learn anything`);
  if (nVal < 64 || tokens.length - nVal < 64) return { train: tokens, val: tokens, valIsTrain: true };
  return { train: tokens.subarray(0, tokens.length - nVal), val: tokens.subarray(tokens.length - nVal), valIsTrain: false };
}

/** Shrinks batch and sequence length for tiny corpora so every stream holds at least one step (never zero batches). */
export function fitBatchShape(n: number, B: number, T: number): { B: number; T: number } {
  let t = Math.max(1, Math.min(T, n - 1));
  let b = Math.max(1, Math.min(B, Math.floor((n - 1) / (t + 1)) || 1));
  if (Math.floor(n / b) < t + 1) t = Math.max(1, Math.floor(n / b) - 1);
  return { B: b, T: t };
}

/**
 * Loss weights per token for a corpus whose skill shows in a few answer tokens (the long-dependency episodes:
 * the language after "I speak fluent "): the tokens of the answer that follows each occurrence of `cue` weigh
 * `weight`, every other token 1. The answer runs from just after the cue while its tokens are `inAnswer`
 * (letters), for at most `maxLength` tokens. Null when no token is weighted, so training is unchanged.
 */
export function answerWeights(tokens: Int32Array, cue: readonly number[], inAnswer: (id: number) => boolean, weight: number, maxLength = Infinity): Float32Array | null {
  if (cue.length === 0 || weight === 1) return null;
  const w = new Float32Array(tokens.length).fill(1);
  let found = false;
  for (let i = 0; i + cue.length <= tokens.length; i++) {
    let k = 0;
    while (k < cue.length && tokens[i + k] === cue[k]) k++;
    if (k < cue.length) continue;
    for (let j = i + cue.length; j < tokens.length && j < i + cue.length + maxLength && inAnswer(tokens[j]); j++) {
      w[j] = weight;
      found = true;
    }
  }
  return found ? w : null;
}

/** What a training step reads: inputs, targets and their loss weights (time-major), and the cursor to resume at. */
export interface Batches {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly w: Float32Array | null;
  pos: number;
  /** Fills the next step; true when the data wrapped (a new pass: the carried state starts afresh). */
  next(): boolean;
}

/** B streams over the tokens; `pos` is the cursor saved in checkpoints for exact resume. */
export class BatchStreams implements Batches {
  readonly span: number;
  readonly x: Int32Array;
  readonly y: Int32Array;
  /** The loss weight of each target in y, when the tokens have weights (answerWeights). */
  readonly w: Float32Array | null;
  constructor(
    private readonly tokens: Int32Array,
    readonly B: number,
    readonly T: number,
    public pos = 0,
    private readonly weights: Float32Array | null = null,
  ) {
    this.span = Math.floor(tokens.length / B);
    this.x = new Int32Array(T * B);
    this.y = new Int32Array(T * B);
    this.w = weights && new Float32Array(T * B);
  }
  /** Fills x, y (time-major) for the next step; returns true when the streams wrapped (new epoch: reset state). */
  next(): boolean {
    const { B, T, span, tokens } = this;
    let wrapped = false;
    if (this.pos + T + 1 > span) {
      this.pos = 0;
      wrapped = true;
    }
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++) {
        const i = b * span + this.pos + t;
        this.x[t * B + b] = tokens[i];
        this.y[t * B + b] = tokens[i + 1];
        if (this.w) this.w[t * B + b] = this.weights![i + 1];
      }
    this.pos += T;
    return wrapped;
  }
}
