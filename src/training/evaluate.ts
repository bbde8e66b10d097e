// Validation loss: the tokens are read as B streams with carried state, like training but without dropout
// or gradient, so a pass costs about a third of a training step per token.
import { fitBatchShape } from './data.ts';
import { RnnModel, softmaxCrossEntropy } from '../engine/model.ts';
import { UserError } from '../errors.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import { splitWords, UNK } from '../text/word-tokenizer.ts';

export interface EvalResult {
  /** Mean nats per predicted token. */
  loss: number;
  tokens: number;
}

/** Reports progress through a long evaluation: tokens scored so far out of the total. */
export type EvalProgress = (done: number, total: number) => void;

export function evaluateLoss(model: RnnModel, tokens: Int32Array, B: number, T: number, maxTokens = 0, onProgress?: EvalProgress): EvalResult {
  const data = maxTokens > 0 && tokens.length > maxTokens + 1 ? tokens.subarray(0, maxTokens + 1) : tokens;
  if (data.length < 2) return { loss: NaN, tokens: 0 };
  const shape = fitBatchShape(data.length, B, T);
  const span = Math.floor(data.length / shape.B);
  const V = model.config.vocabSize;
  const state = model.zeroState(shape.B);
  const x = new Int32Array(shape.T * shape.B);
  const y = new Int32Array(shape.T * shape.B);
  let total = 0;
  let count = 0;
  for (let pos = 0; pos + 1 < span; pos += shape.T) {
    const t = Math.min(shape.T, span - 1 - pos);
    for (let s = 0; s < t; s++)
      for (let b = 0; b < shape.B; b++) {
        x[s * shape.B + b] = data[b * span + pos + s];
        y[s * shape.B + b] = data[b * span + pos + s + 1];
      }
    const logits = model.forward(x.subarray(0, t * shape.B), t, shape.B, state);
    total += softmaxCrossEntropy(logits, y.subarray(0, t * shape.B), t * shape.B, V, null, 1, model.backend);
    count += t * shape.B;
    onProgress?.(count, (span - 1) * shape.B);
  }
  return { loss: total / count, tokens: count };
}

/** How well a model predicts a text (`storyteller eval`). */
export interface TextScore {
  /** Mean nats per predicted token (a word model's <unk> counts as a word here). */
  loss: number;
  /**
   * Bits per character of the whole text, unknown text included at the charge `unknown.charge` states:
   * comparable across char and word models, and never better for a model that knows less of the text.
   */
  bpc: number;
  /** Perplexity per token: e^loss. */
  perplexity: number;
  /** Tokens and characters scored. */
  tokens: number;
  chars: number;
  /**
   * Text the model has no token for: characters a char model cannot read (left out of `loss`) or words a
   * word model reads as <unk>. `rate` is their share of the characters (char) or words (word); `bits` what
   * they are charged in `bpc`.
   */
  unknown: { count: number; rate: number; bits: number; charge: string };
}

/** Scores a model on a text, read as 16 streams of 64-token windows with carried state. */
export function evaluateText(lm: { model: RnnModel; tokenizer: Tokenizer }, text: string, opts: { onProgress?: EvalProgress } = {}): TextScore {
  const normalized = normalizeText(text, { unwrap: lm.tokenizer.unwrap });
  const chars = Array.from(normalized).length;
  const tokens = lm.tokenizer.encodeCorpus(text);
  const unknown = lm.tokenizer.level === 'char' ? unknownCharacters(lm.tokenizer, chars - tokens.length, chars) : unknownWords(lm.tokenizer, normalized);
  if (tokens.length < 2) throw new UserError('the text has fewer than 2 tokens this model knows; nothing to evaluate');
  const r = evaluateLoss(lm.model, tokens, 16, 64, 0, opts.onProgress);
  // The streams leave a few tokens at the ends unscored: the scored share of the text stands for all of it.
  const share = r.tokens / tokens.length;
  const bits = (r.loss * r.tokens) / Math.LN2 + unknown.bits * share;
  return {
    loss: r.loss,
    bpc: bits / (chars * share),
    perplexity: Math.exp(r.loss),
    tokens: r.tokens,
    chars: Math.round(chars * share),
    unknown,
  };
}

/** Each character a char model cannot read pays log2(V+1) bits: a uniform guess among its V symbols and "other". */
function unknownCharacters(tokenizer: Tokenizer, count: number, chars: number): TextScore['unknown'] {
  const V = tokenizer.vocab.length;
  const each = Math.log2(V + 1);
  return { count, rate: count / Math.max(1, chars), bits: count * each, charge: `${each.toFixed(2)} bits per unknown character (log2 of the ${V} known characters + 1)` };
}

/**
 * Each word a word model reads as <unk> also pays for being spelt out, letter by letter and an end, at
 * log2(A+1) bits each, A the distinct characters of the vocabulary's words: <unk> alone names no word, so
 * without this charge a smaller vocabulary would score better.
 */
function unknownWords(tokenizer: Tokenizer, normalized: string): TextScore['unknown'] {
  const alphabet = new Set<string>();
  for (const w of tokenizer.vocab) if (w !== UNK) for (const c of w) alphabet.add(c);
  const each = Math.log2(alphabet.size + 1);
  const words = splitWords(normalized);
  let count = 0;
  let letters = 0;
  for (const w of words) {
    if (tokenizer.idOf(w) !== undefined) continue;
    count++;
    letters += Array.from(w).length + 1;
  }
  return {
    count,
    rate: count / Math.max(1, words.length),
    bits: letters * each,
    charge: `${each.toFixed(2)} bits per letter (and one for the end) to spell each unknown word, besides its <unk> (log2 of the ${alphabet.size} characters of the vocabulary's words + 1)`,
  };
}
