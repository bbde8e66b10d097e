// Episodes in a row: a task that needs forgetting. A stream is several episodes one after another, one per
// line as in the training corpus ("I grew up in France. … I speak fluent French.\nI grew up in Japan. … I speak
// fluent "), each country different from the one before it. Answering the second and later episodes needs the
// model to let go of the earlier country and keep the new one: a cell without a forget gate can only add to
// its cell state. The measurement reads the stream once, carrying the state, and answers each question from
// the state at that point; it also records how large the cell state has grown by each question.
import { hasCellState } from '../engine/config.ts';
import type { Arr } from '../engine/backend.ts';
import { Rng } from '../engine/rng.ts';
import type { LoadedModel } from '../generation/generator.ts';
import { COUNTRY_LANGUAGE, drawGap, makeEpisode, QUESTION, type Episode } from './long-dependency-corpus.ts';
import { scoreAnswer, type EpisodeScore } from './long-dependency.ts';

type ModelAndTokens = Pick<LoadedModel, 'model' | 'tokenizer'>;

export interface StreamOptions {
  /** Test-split filler sentences (see loadFillerPool). */
  fillers: readonly string[];
  /** Streams to draw (default 50). */
  streams?: number;
  /** Episodes per stream (default 4): the first is answered from a fresh state, the others after earlier ones. */
  episodes?: number;
  /** Gap of each episode, drawn uniformly (default 10-99: short enough that every LSTM keeps one country). */
  minGap?: number;
  maxGap?: number;
  seed?: string;
  pairs?: ReadonlyArray<readonly [string, string]>;
}

export const STREAM_DEFAULTS = { streams: 50, episodes: 4, minGap: 10, maxGap: 99, seed: 'long-dependency/streams' } as const;

export interface EpisodeStream {
  episodes: Episode[];
  /** The episodes joined by newlines, as the corpus writes them. */
  text: string;
}

/** `streams` streams, deterministic for a seed; each episode's country differs from the one before it. */
export function makeStreams(opts: StreamOptions): EpisodeStream[] {
  const o = { ...STREAM_DEFAULTS, ...opts };
  const pairs = o.pairs ?? COUNTRY_LANGUAGE;
  if (!(Number.isInteger(o.streams) && o.streams >= 1)) throw new RangeError(`streams must be a whole number ≥ 1 (got ${o.streams})`);
  if (!(Number.isInteger(o.episodes) && o.episodes >= 2)) throw new RangeError(`a stream needs at least 2 episodes (got ${o.episodes})`);
  if (!(o.minGap >= 1 && o.maxGap >= o.minGap)) throw new RangeError(`gaps must satisfy 1 ≤ min ≤ max (got ${o.minGap}, ${o.maxGap})`);
  if (pairs.length < 2) throw new RangeError('a stream needs at least two countries');
  const rng = new Rng(o.seed);
  const out: EpisodeStream[] = [];
  for (let s = 0; s < o.streams; s++) {
    const episodes: Episode[] = [];
    for (let k = 0; k < o.episodes; k++) {
      const previous = episodes.at(-1)?.country;
      const target = drawGap(rng, { minGap: o.minGap, maxGap: o.maxGap });
      episodes.push(makeEpisode(rng, target, { fillers: o.fillers, minGap: o.minGap, maxGap: o.maxGap, pairs: pairs.filter(([c]) => c !== previous) }));
    }
    out.push({ episodes, text: episodes.map((e) => e.text).join('\n') });
  }
  return out;
}

export interface StreamEpisodeScore extends EpisodeScore {
  /** Mean |c| over the units of every layer when the question is asked (undefined for cells without c). */
  cellNorm?: number;
}

function ids(lm: ModelAndTokens, text: string): number[] {
  return lm.tokenizer.encodePrompt(text, 'replace').ids;
}

/**
 * Reads the stream once from a zero state (after the newline that starts every line of the corpus) and
 * answers each episode's question from the state reached at it; the true language and the rest of the
 * episode are then read on, so episode k is asked after episodes 1..k-1 in full.
 */
export function scoreStream(lm: ModelAndTokens, stream: EpisodeStream): StreamEpisodeScore[] {
  const { model, tokenizer } = lm;
  const V = model.config.vocabSize;
  const nl = tokenizer.idOf('\n');
  const state = model.zeroState(1);
  const scores: StreamEpisodeScore[] = [];
  let carry: number[] = nl === undefined ? [] : [nl];
  for (const e of stream.episodes) {
    const cut = e.text.lastIndexOf(QUESTION) + QUESTION.length;
    const piece = Int32Array.from([...carry, ...ids(lm, e.text.slice(0, cut))]);
    const logits: Arr = model.forward(piece, piece.length, 1, state);
    const score: StreamEpisodeScore = scoreAnswer(lm, state, logits.slice((piece.length - 1) * V, piece.length * V), e.language);
    if (hasCellState(model.config.cell)) {
      let sum = 0;
      let n = 0;
      for (const c of state.c) if (c) for (let i = 0; i < c.length; i++) (sum += Math.abs(c[i])), n++;
      score.cellNorm = n ? sum / n : 0;
    }
    scores.push(score);
    carry = [...ids(lm, e.text.slice(cut)), ...(nl === undefined ? [] : [nl])];
  }
  return scores;
}

/** One model on the streams: the JSON line {"multiEpisode": …} of the demo. */
export interface StreamResult {
  cell: string;
  model?: string;
  params: number;
  streams: number;
  episodesPerStream: number;
  /** Episodes scored: the 2nd and later of every stream. */
  n: number;
  /** Share of those whose greedy answer is the right language. */
  accuracy: number;
  /** Mean probability of the right language word on them. */
  meanProb: number;
  /** Share of them answered with the language of the episode before (holding on to the old country). */
  previousLanguage: number;
  /** Accuracy on the first episodes, from a fresh state, for comparison. */
  firstAccuracy: number;
  /** Mean |c| at the question of episode 1, 2, … (averaged over streams); absent for cells without c. */
  cellNorm?: number[];
  languages: number;
}

export function evaluateStreams(lm: LoadedModel, streams: readonly EpisodeStream[], languages = COUNTRY_LANGUAGE.length): StreamResult {
  const K = streams[0]?.episodes.length ?? 0;
  let n = 0, correct = 0, previous = 0, probSum = 0, first = 0;
  const norms = new Array<number>(K).fill(0);
  let withNorm = false;
  for (const s of streams) {
    scoreStream(lm, s).forEach((r, k) => {
      if (r.cellNorm !== undefined) (norms[k] += r.cellNorm / streams.length), (withNorm = true);
      if (k === 0) {
        if (r.correct) first++;
        return;
      }
      n++;
      if (r.correct) correct++;
      if (r.completion === s.episodes[k - 1]!.language) previous++;
      probSum += r.prob;
    });
  }
  return {
    cell: lm.model.config.cell,
    ...(lm.name ? { model: lm.name } : {}),
    params: lm.model.paramCount,
    streams: streams.length,
    episodesPerStream: K,
    n,
    accuracy: n ? correct / n : NaN,
    meanProb: n ? probSum / n : NaN,
    previousLanguage: n ? previous / n : NaN,
    firstAccuracy: streams.length ? first / streams.length : NaN,
    ...(withNorm ? { cellNorm: norms } : {}),
    languages,
  };
}

/** Every model on the same streams. */
export function runStreamEval(models: readonly LoadedModel[], opts: StreamOptions): StreamResult[] {
  const streams = makeStreams(opts);
  const languages = (opts.pairs ?? COUNTRY_LANGUAGE).length;
  return models.map((lm) => evaluateStreams(lm, streams, languages));
}

export interface StreamTrace {
  /** The characters read, the leading newline first. */
  chars: string[];
  /** cell[t][u] of the chosen layer (the hidden state for cells without c, as the trace offers it). */
  cell: number[][];
  /** forget[t][u], or undefined when the cell has no forget gate to show. */
  forget?: number[][];
  /** Index in `chars` where each episode starts. */
  episodeStarts: number[];
}

/** Cell states (and forget gates) of one layer over a whole stream, read in one pass. */
export function traceStream(lm: ModelAndTokens, stream: EpisodeStream, layer = 0): StreamTrace {
  const nl = lm.tokenizer.idOf('\n');
  const body = lm.tokenizer.encodePrompt(stream.text, 'replace');
  const input = Int32Array.from(nl === undefined ? body.ids : [nl, ...body.ids]);
  const state = lm.model.zeroState(1);
  lm.model.forward(input, input.length, 1, state);
  const chars = [...(nl === undefined ? [] : ['\n']), ...Array.from(body.text)];
  const cell: number[][] = [];
  const forget: number[][] = [];
  let hasForget = true;
  for (let t = 0; t < input.length; t++) {
    const tr = lm.model.trace(t, 0)[layer]!;
    cell.push(tr.cell);
    if (tr.forget) forget.push(tr.forget);
    else hasForget = false;
  }
  const episodeStarts: number[] = [];
  let at = nl === undefined ? 0 : 1;
  for (const e of stream.episodes) {
    episodeStarts.push(at);
    at += Array.from(e.text).length + 1;
  }
  return { chars, cell, ...(hasForget ? { forget } : {}), episodeStarts };
}
