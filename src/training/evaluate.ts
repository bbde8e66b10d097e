// Validation loss: the tokens are read as B streams with carried state, like training but without dropout
// or gradient, so a pass costs about a third of a training step per token.
import { fitBatchShape } from './data.ts';
import { RNNModel, softmaxCrossEntropy } from '../engine/model.ts';
import { UserError } from '../errors.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Tokenizer } from '../text/tokenizer.ts';

export interface EvalResult {
  /** Mean nats per predicted token. */
  loss: number;
  tokens: number;
}

export function evaluateLoss(model: RNNModel, tokens: Int32Array, B: number, T: number, maxTokens = 0): EvalResult {
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
    total += softmaxCrossEntropy(logits, y.subarray(0, t * shape.B), t * shape.B, V, null, 1);
    count += t * shape.B;
  }
  return { loss: total / count, tokens: count };
}

/** How well a model predicts a text (`storyteller eval`). */
export interface TextScore {
  /** Mean nats per predicted token. */
  loss: number;
  /** Bits per character of the text (comparable across char and word models). */
  bpc: number;
  /** Perplexity per token: e^loss. */
  perplexity: number;
  /** Tokens and characters scored. */
  tokens: number;
  chars: number;
}

/** Scores a model on a text, read as 16 streams of 64-token windows with carried state. */
export function evaluateText(lm: { model: RNNModel; tokenizer: Tokenizer }, text: string): TextScore {
  const tokens = lm.tokenizer.encodeCorpus(text);
  if (tokens.length < 2) throw new UserError('the text has fewer than 2 tokens this model knows; nothing to evaluate');
  const chars = normalizeText(text, { unwrap: lm.tokenizer.unwrap }).length;
  const r = evaluateLoss(lm.model, tokens, 16, 64);
  const charsScored = chars * (r.tokens / tokens.length);
  return {
    loss: r.loss,
    bpc: (r.loss * r.tokens) / charsScored / Math.LN2,
    perplexity: Math.exp(r.loss),
    tokens: r.tokens,
    chars: Math.round(charsScored),
  };
}
