// The one generator every front end uses. It primes the model with the prompt, then samples token by
// token, yielding each token with its probability, the top candidates and (optionally) the gate
// activations of every layer while the model reads that token.
import { UserError } from '../errors.ts';
import type { ModelCard } from '../engine/checkpoint.ts';
import type { RnnModel } from '../engine/model.ts';
import { randomSeed, Rng } from '../engine/rng.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import { PARAGRAPH, UNK } from '../text/word-tokenizer.ts';
import { DEFAULT_GENERATE_OPTIONS, FINISH_LIMIT, STORY_FLOOR, type GenerateOptions, type GenerationEvent, type PromptToken } from './events.ts';
import { sampleToken, softmax, topIndices } from './sampler.ts';

export interface LoadedModel {
  name: string;
  path: string;
  model: RnnModel;
  tokenizer: Tokenizer;
  card: ModelCard;
}

export function resolveGenerateOptions(o: Partial<GenerateOptions>): GenerateOptions {
  const r: GenerateOptions = { ...DEFAULT_GENERATE_OPTIONS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  const check = (ok: boolean, msg: string) => {
    if (!ok) throw new UserError(msg);
  };
  check(Number.isInteger(r.length) && r.length >= 1 && r.length <= 100_000, `--length must be a whole number from 1 to 100000 (got ${r.length})`);
  check(Number.isFinite(r.temperature) && r.temperature >= 0 && r.temperature <= 10, `--temperature must be between 0 and 10 (got ${r.temperature})`);
  check(Number.isInteger(r.topK) && r.topK >= 0, `--top-k must be a whole number ≥ 0 (got ${r.topK})`);
  check(Number.isFinite(r.topP) && r.topP > 0 && r.topP <= 1, `--top-p must be in (0, 1] (got ${r.topP})`);
  check(['none', 'sentence', 'paragraph'].includes(r.stop), `--stop must be none, sentence or paragraph (got ${r.stop})`);
  check(['error', 'skip', 'replace'].includes(r.unknown), `--unknown must be error, skip or replace (got ${r.unknown})`);
  check(Number.isInteger(r.topCandidates) && r.topCandidates >= 0 && r.topCandidates <= 50, `top candidates must be 0 to 50 (got ${r.topCandidates})`);
  check(r.bestOf === undefined || (Number.isInteger(r.bestOf) && r.bestOf >= 1 && r.bestOf <= 16), `--best-of must be a whole number from 1 to 16 (got ${r.bestOf})`);
  check(typeof r.prime === 'string' && r.prime.length <= 100_000, 'the prompt must be text of at most 100000 characters');
  return r;
}

/** The token that stands for "beginning of a story" when the prompt is empty: a paragraph break. */
function startToken(tok: Tokenizer): number {
  for (const t of tok.level === 'word' ? [PARAGRAPH] : ['\n', ' ', '.']) {
    const id = tok.idOf(t);
    if (id !== undefined) return id;
  }
  return 0;
}

const PRIME_CHUNK = 32;
const CLOSING = new Set(['"', "'", ')', ']', '\u201D', '\u2019']);
const LETTER = /\p{L}/u;

/**
 * Whether text ends a finished sentence: an end mark (then only closing quotes or brackets) after a letter on
 * the same line. Looks at the tail only, so checking after every token stays cheap however long the story.
 */
export function endsSentence(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && CLOSING.has(text[i])) i--;
  if (i < 0 || (text[i] !== '.' && text[i] !== '!' && text[i] !== '?')) return false;
  for (let j = i - 1; j >= 0 && text[j] !== '\n'; j--) if (LETTER.test(text[j])) return true;
  return false;
}

export function* generate(lm: LoadedModel, options: Partial<GenerateOptions>): Generator<GenerationEvent> {
  const o = resolveGenerateOptions(options);
  const seed = o.seed ?? randomSeed();
  const n = o.bestOf ?? 1;
  if (n <= 1) {
    yield* generateOne(lm, o, seed);
    return;
  }
  // Candidate 1 is the story of `seed` itself; the others draw from derived seeds. All are written before
  // the kept one is streamed, so best-of costs n stories' time before the first token appears.
  let best: GenerationEvent[] = [];
  let bestScore = -Infinity;
  let bestK = 1;
  let bestFinished = false;
  for (let k = 1; k <= n; k++) {
    const events = [...generateOne(lm, o, k === 1 ? seed : `${seed}#${k}`)];
    const probs = events.flatMap((e) => (e.type === 'token' ? [e.prob] : []));
    const end = events.at(-1);
    const kept = probs.slice(0, probs.length - (end?.type === 'end' ? (end.cut ?? 0) : 0));
    const score = kept.length ? kept.reduce((a, p) => a + Math.log(Math.max(p, 1e-30)), 0) / kept.length : -Infinity;
    // A story that ends at a finished sentence beats one that could not, whatever their probabilities.
    const finished = end?.type === 'end' && endsSentence(end.text.trimEnd());
    if ((finished && !bestFinished) || (finished === bestFinished && score > bestScore)) [best, bestScore, bestK, bestFinished] = [events, score, k, finished];
  }
  for (const ev of best) {
    if (ev.type === 'start') yield { ...ev, seed, options: { ...ev.options, seed } };
    else if (ev.type === 'end') yield { ...ev, seed, best: { candidate: bestK, of: n, meanLogProb: bestScore } };
    else yield ev;
  }
}

function* generateOne(lm: LoadedModel, o: GenerateOptions, seed: string): Generator<GenerationEvent> {
  const rng = new Rng(seed);
  const { model, tokenizer } = lm;
  const V = model.config.vocabSize;
  const enc = tokenizer.encodePrompt(o.prime, o.unknown);
  yield { type: 'start', seed, prime: o.prime, primeText: enc.text, unknown: enc.report, options: { ...o, seed } };

  const detok = tokenizer.detokenizer();
  const pieces = enc.ids.map((id) => detok.push(tokenizer.vocab[id]));
  const state = model.zeroState(1);
  const primeIds = Int32Array.from([startToken(tokenizer), ...enc.ids]);
  const probs = new Float64Array(V);
  const promptTokens: PromptToken[] = [];
  // The prompt goes in as chunks of PRIME_CHUNK tokens and then one at a time, so a model only ever
  // sees two sequence shapes here and keeps two sets of buffers, whatever the prompt lengths.
  let last!: Float32Array | Float64Array;
  for (let at = 0; at < primeIds.length; ) {
    const n = primeIds.length - at >= PRIME_CHUNK ? PRIME_CHUNK : 1;
    const logits = model.forward(primeIds.subarray(at, at + n), n, 1, state);
    if (o.tracePrompt) {
      // Prompt token k (primeIds[k + 1]) was predicted from the logits at k and read at k + 1.
      for (let t = 0; t < n; t++) {
        const k = at + t - 1;
        if (k < 0) continue;
        softmax(t === 0 ? last : logits.subarray((t - 1) * V, t * V), 1, probs);
        const id = primeIds[k + 1];
        const top = o.topCandidates > 0 ? topIndices(probs, o.topCandidates).map((c) => ({ id: c, text: tokenizer.vocab[c], prob: probs[c] })) : [];
        promptTokens.push({ index: k, id, text: pieces[k], prob: probs[id], top, gates: o.trace ? model.trace(t, 0) : undefined });
      }
    }
    last = logits.slice((n - 1) * V, n * V);
    at += n;
  }
  if (o.tracePrompt) yield { type: 'prompt', tokens: promptTokens };
  let logits: Float32Array | Float64Array;
  const scratch = new Float64Array(V);
  const one = new Int32Array(1);
  let text = '';
  let count = 0;
  let reason: 'length' | 'sentence' | 'paragraph' = 'length';
  // With `finish`: stops before the floor do not end the story; the last place it could end, for a cut.
  const floor = o.finish ? Math.ceil(o.length * STORY_FLOOR) : 0;
  let lastEnd = { chars: 0, tokens: 0 };
  // After a sentence ends, one more token is drawn: a closing quote or bracket still belongs to it.
  let sentenceDone = false;
  // A story never says "<unk>": the word models' unknown token is never drawn.
  const banned = tokenizer.idOf(UNK);
  // With `finish`, the length is where the story starts looking for the end of its sentence. A story whose
  // last sentence end is still before the floor there (one long run-on sentence) keeps looking, up to
  // FINISH_LIMIT times the length, rather than being cut back to a fraction of what was asked.
  const cap = o.finish ? o.length + Math.max(40, Math.ceil(o.length / 4)) : o.length;
  const limit = o.finish ? Math.max(cap, Math.ceil(o.length * FINISH_LIMIT)) : o.length;
  for (let index = 0; index < cap || (index < limit && lastEnd.tokens < floor); index++) {
    softmax(last, 1, probs);
    if (banned !== undefined && tokenizer.level === 'word') last[banned] = -Infinity;
    const id = sampleToken(last, o, rng, scratch);
    const token = tokenizer.vocab[id];
    if (sentenceDone && !CLOSING.has(token)) break;
    const top = o.topCandidates > 0 ? topIndices(probs, o.topCandidates).map((c) => ({ id: c, text: tokenizer.vocab[c], prob: probs[c] })) : [];
    one[0] = id;
    logits = model.forward(one, 1, 1, state);
    last = logits.slice(0, V);
    const piece = detok.push(token);
    text += piece;
    count++;
    const ended = endsSentence(text);
    if (o.finish && ended) lastEnd = { chars: text.length, tokens: count };
    yield { type: 'token', index, id, text: piece, prob: probs[id], top, gates: o.trace ? model.trace(0, 0) : undefined, ...(o.finish && ended ? { sentenceEnd: true } : {}) };
    if (sentenceDone) break;
    if (o.stop === 'sentence' && ended && count >= floor) {
      reason = 'sentence';
      sentenceDone = true;
    }
    // Past the length with `finish`: a line break ends the story at once, a sentence end as with stop 'sentence'.
    if (o.finish && count >= o.length && !sentenceDone) {
      if (text.endsWith('\n') && lastEnd.tokens >= floor) break;
      sentenceDone = ended;
    }
    if (o.stop === 'paragraph' && count >= floor && /\S\s*\n\s*\n$/.test(text)) {
      reason = 'paragraph';
      break;
    }
  }
  // A story that ran out of room mid-sentence ends at its last finished sentence instead.
  if (o.finish && lastEnd.tokens > 0 && !endsSentence(text.trimEnd())) {
    const cut = count - lastEnd.tokens;
    yield { type: 'end', reason: 'sentence', text: text.slice(0, lastEnd.chars), tokens: lastEnd.tokens, seed, cut };
    return;
  }
  yield { type: 'end', reason, text, tokens: count, seed };
}

/** A whole story from generateText. */
export interface GeneratedText {
  /** The generated continuation (without the prompt). */
  text: string;
  /** The prompt as the model read it, then the continuation: what `storyteller generate` prints. */
  story: string;
  /** The prompt after the unknown-token policy (see GenerateOptions.unknown). */
  primeText: string;
  /** The seed used: the one given, or the random one drawn; it reproduces the story. */
  seed: string;
  /** Tokens generated and why the story ended. */
  tokens: number;
  reason: 'length' | 'sentence' | 'paragraph';
}

/** Runs the generator to the end and returns the story. */
export function generateText(lm: LoadedModel, options: Partial<GenerateOptions>): GeneratedText {
  let text = '';
  let seed = '';
  let primeText = '';
  let tokens = 0;
  let reason: GeneratedText['reason'] = 'length';
  for (const ev of generate(lm, options)) {
    if (ev.type === 'start') {
      seed = ev.seed;
      primeText = ev.primeText;
    } else if (ev.type === 'end') ({ text, tokens, reason } = ev); // the end event's text is after any cut
  }
  return { text, story: primeText + text, primeText, seed, tokens, reason };
}
