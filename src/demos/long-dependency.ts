// Evaluation of the long-dependency task: for held-out episodes grouped by gap, does the model's greedy
// completion of "I speak fluent " name the right language, and how much probability does it give the
// whole language word? Plus the memory-cell probe: which LSTM units hold the country across the filler.
// Everything here is a pure function of loaded models and returns plain data that the CLI, the TUI and
// the bot can render.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Arr } from '../engine/backend.ts';
import { hasCellState } from '../engine/config.ts';
import { UserError } from '../errors.ts';
import type { ModelState, RnnModel } from '../engine/model.ts';
import { Rng } from '../engine/rng.ts';
import type { LoadedModel } from '../generation/generator.ts';
import { argmax, softmax } from '../generation/sampler.ts';
import {
  COUNTRY_LANGUAGE,
  INTRO,
  QUESTION,
  loadFillerPool,
  makeEpisode,
  type Episode,
} from './long-dependency-corpus.ts';
import { LONG_DEPENDENCY_PROSE, makeProseEpisode, selectionPoolFromCorpus, type ProsePool } from './long-dependency-prose.ts';

/** What scoring an episode reads of a model: the network and its vocabulary (a training run has no file yet). */
type ModelAndTokens = Pick<LoadedModel, 'model' | 'tokenizer'>;

export interface GapBucket {
  min: number;
  max: number;
}

/** Gap buckets of the report (inclusive bounds, characters of filler). */
export const GAP_BUCKETS: readonly GapBucket[] = [
  { min: 10, max: 49 },
  { min: 50, max: 99 },
  { min: 100, max: 199 },
  { min: 200, max: 299 },
  { min: 300, max: 360 },
];

/**
 * The test sets of the report, by where their filler comes from; none of it is ever trained on. `books` is
 * there only when the held-out books are (they are fetched, not shipped).
 */
export type TestSetName = 'generator' | 'stories' | 'books';
export const TEST_SET_TITLES: Record<TestSetName, string> = {
  generator: 'generator filler: early-reader sentences never trained on',
  stories: "unseen prose: the project's own stories (corpora/stories), never trained on",
  books: 'unseen books: five children\'s books kept out of training',
};

/** One row of the report; the keys are the --json output's. */
export interface BucketResult {
  cell: string;
  /** The model's name (two models may share a cell type). */
  model?: string;
  /** Which test set the row is for. */
  test?: TestSetName;
  gap_min: number;
  gap_max: number;
  /** Episodes scored. */
  n: number;
  /** Fraction whose greedy completion up to "." is exactly the language. */
  accuracy: number;
  /** Mean probability of the whole language word (product of its character probabilities). */
  mean_prob: number;
  /** Number of languages in play: chance accuracy is 1 / languages. */
  languages: number;
}

export interface TestSetOptions {
  /** Test-split filler sentences (see loadFillerPool), drawn in any order. */
  fillers?: readonly string[];
  /** Or prose: runs of consecutive sentences (see long-dependency-prose.ts). */
  prose?: ProsePool;
  buckets?: readonly GapBucket[];
  perBucket?: number;
  seed?: string;
  pairs?: ReadonlyArray<readonly [string, string]>;
}

/**
 * `perBucket` episodes whose actual gap lies in each bucket, deterministic for a seed. Targets are drawn
 * inside the bucket; episodes whose filler could not land inside it are redrawn.
 */
export function bucketEpisodes(opts: TestSetOptions): Array<{ bucket: GapBucket; episodes: Episode[] }> {
  const rng = new Rng(opts.seed ?? 'long-dependency/test');
  const perBucket = opts.perBucket ?? 50;
  return (opts.buckets ?? GAP_BUCKETS).map((bucket) => {
    const episodes: Episode[] = [];
    for (let tries = 0; episodes.length < perBucket && tries < perBucket * 50; tries++) {
      const target = bucket.min + rng.int(bucket.max - bucket.min + 1);
      const e = opts.prose
        ? makeProseEpisode(rng, target, opts.prose, opts.pairs)
        : makeEpisode(rng, target, { fillers: opts.fillers ?? [], minGap: bucket.min, maxGap: bucket.max, pairs: opts.pairs });
      if (e.gap >= bucket.min && e.gap <= bucket.max) episodes.push(e);
    }
    return { bucket, episodes };
  });
}

/** Token ids of text for a char model, preceded by the newline that separates episodes in the corpus. */
function encode(lm: ModelAndTokens, text: string): Int32Array {
  const ids = lm.tokenizer.encodePrompt(text, 'replace').ids;
  const nl = lm.tokenizer.idOf('\n');
  return Int32Array.from(nl === undefined ? ids : [nl, ...ids]);
}

function copyState(model: RnnModel, s: ModelState): ModelState {
  const c = model.zeroState(s.B);
  s.h.forEach((h, k) => c.h[k].set(h));
  s.c.forEach((x, k) => x && c.c[k]!.set(x));
  return c;
}

export interface EpisodeScore {
  /** Greedy continuation of "I speak fluent " up to (not including) the first "." or newline. */
  completion: string;
  correct: boolean;
  /** Probability of the language word, character by character. */
  prob: number;
}

/** Primes the model with the episode up to "I speak fluent " and scores the language that follows. */
export function scoreEpisode(lm: ModelAndTokens, episode: Episode, maxChars = 24): EpisodeScore {
  const { model, tokenizer } = lm;
  const V = model.config.vocabSize;
  const cut = episode.text.lastIndexOf(QUESTION) + QUESTION.length;
  const prime = encode(lm, episode.text.slice(0, cut));
  const state = model.zeroState(1);
  const logits = model.forward(prime, prime.length, 1, state);
  const first = logits.slice((prime.length - 1) * V, prime.length * V);
  const after = copyState(model, state);
  const probs = new Float64Array(V);

  // Probability of the whole word by teacher forcing.
  const word = tokenizer.encodePrompt(episode.language, 'replace').ids;
  let prob = 1;
  let last: Arr = first;
  const one = new Int32Array(1);
  for (let i = 0; i < word.length; i++) {
    softmax(last, 1, probs);
    prob *= probs[word[i]];
    if (i + 1 < word.length) {
      one[0] = word[i];
      last = model.forward(one, 1, 1, state).slice(0, V);
    }
  }

  // Greedy completion from the state right after the question.
  let completion = '';
  last = first;
  for (let i = 0; i < maxChars; i++) {
    const id = argmax(last);
    const ch = tokenizer.vocab[id];
    if (ch === '.' || ch === '\n') break;
    completion += ch;
    one[0] = id;
    last = model.forward(one, 1, 1, after).slice(0, V);
  }
  return { completion, correct: completion === episode.language, prob };
}

/** Accuracy and mean probability of one model on each bucket of episodes. */
export function evaluateBuckets(
  lm: LoadedModel,
  sets: Array<{ bucket: GapBucket; episodes: Episode[] }>,
  languages = COUNTRY_LANGUAGE.length,
  test?: TestSetName,
): BucketResult[] {
  return sets.map(({ bucket, episodes }) => {
    let correct = 0;
    let probSum = 0;
    for (const e of episodes) {
      const s = scoreEpisode(lm, e);
      if (s.correct) correct++;
      probSum += s.prob;
    }
    const n = episodes.length;
    return {
      cell: lm.model.config.cell,
      ...(lm.name ? { model: lm.name } : {}),
      ...(test ? { test } : {}),
      gap_min: bucket.min,
      gap_max: bucket.max,
      n,
      accuracy: n ? correct / n : NaN,
      mean_prob: n ? probSum / n : NaN,
      languages,
    };
  });
}

/**
 * The score a training run keeps its best state by: accuracy on episodes built from the *training* filler
 * sentences in new combinations (seed long-dependency/select), `perBucket` per report bucket plus gaps 1-9.
 * The test episodes, whose fillers training never sees, are never used to choose a model.
 */
export function selectionScorer(root: string, perBucket = 50): (lm: ModelAndTokens) => number {
  const fillers = loadFillerPool(root, 'early-reader', 'train');
  const sets = bucketEpisodes({ fillers, perBucket, seed: 'long-dependency/select', buckets: [{ min: 1, max: 9 }, ...GAP_BUCKETS] });
  const episodes = sets.flatMap((s) => s.episodes);
  return (lm) => episodes.filter((e) => scoreEpisode(lm, e).correct).length / episodes.length;
}

/**
 * The same score for the prose models: episodes built from the sentences of the stage-1 prose corpus under
 * `root` (training filler by construction), in runs of new lengths with new countries.
 */
export function proseSelectionScorer(root: string, perBucket = 50): (lm: ModelAndTokens) => number {
  const file = path.join(root, LONG_DEPENDENCY_PROSE.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${file}: no prose corpus to select by; train with a long-dep-prose recipe, which writes it`);
  }
  const prose = selectionPoolFromCorpus(text);
  const sets = bucketEpisodes({ prose, perBucket, seed: 'long-dependency/prose-select', buckets: [{ min: 1, max: 9 }, ...GAP_BUCKETS] });
  const episodes = sets.flatMap((s) => s.episodes);
  return (lm) => episodes.filter((e) => scoreEpisode(lm, e).correct).length / episodes.length;
}

/** The whole experiment: every model on the same episodes. */
export function runLongDependencyEval(models: LoadedModel[], opts: TestSetOptions, test?: TestSetName): BucketResult[] {
  const sets = bucketEpisodes(opts);
  const languages = (opts.pairs ?? COUNTRY_LANGUAGE).length;
  return models.flatMap((lm) => evaluateBuckets(lm, sets, languages, test));
}

// ---------------------------------------------------------------------------------------------------
// The memory cell.

export interface MemoryUnit {
  unit: number;
  /** Correlation ratio η² of this unit's cell state with the country at the end of the filler (0..1). */
  eta2: number;
  /** The same halfway through the filler: a unit that carries the country shows it all along. */
  eta2MidGap: number;
  /** Mean forget-gate activation of this unit over the filler characters. */
  meanForget: number;
}

export interface MemoryCellReport {
  /** Episodes used (long gaps). */
  episodes: number;
  /** Units ranked by η² at the end of the filler, best first. */
  units: MemoryUnit[];
  /** Mean forget gate over the filler, all units. */
  meanForgetAll: number;
  /** Held-out accuracy of a linear probe (softmax regression) reading the country from all cell states at the end of the filler. */
  probeAccuracy: number;
  /**
   * The best unit by η² on the first half of the episodes, and how often the nearest country mean of that
   * one cell state names the country on the other half: whether a single memory cell carries it.
   */
  topUnit: number;
  topUnitAccuracy: number;
  /** Chance for the probe: 1 / countries. */
  chance: number;
}

/** Cell states and forget gates of layer `layer` over one episode, plus where the filler starts and ends. */
export function traceEpisode(lm: LoadedModel, episode: Episode, layer = 0) {
  const text = episode.text;
  const ids = encode(lm, text);
  const state = lm.model.zeroState(1);
  lm.model.forward(ids, ids.length, 1, state);
  const chars = ['\n', ...Array.from(lm.tokenizer.encodePrompt(text, 'replace').text)];
  const cell: number[][] = [];
  const forget: number[][] = [];
  for (let t = 0; t < ids.length; t++) {
    const tr = lm.model.trace(t, 0)[layer]!;
    cell.push(tr.cell);
    forget.push(tr.forget ?? []);
  }
  // +1 for the leading newline: position t reads chars[t].
  const fillerStart = INTRO(episode.country).length + 1;
  const fillerEnd = text.lastIndexOf(QUESTION);
  return { chars, cell, forget, fillerStart, fillerEnd };
}

/** Mean and count of the values of each label. */
function labelMeans(values: readonly number[], labels: readonly number[]): Map<number, { mean: number; n: number }> {
  const groups = new Map<number, { mean: number; n: number }>();
  values.forEach((v, i) => {
    const g = groups.get(labels[i]) ?? { mean: 0, n: 0 };
    g.mean += v;
    g.n++;
    groups.set(labels[i], g);
  });
  for (const g of groups.values()) g.mean /= g.n;
  return groups;
}

/** η² = between-group variance / total variance of values grouped by label. */
export function correlationRatio(values: number[], labels: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  let total = 0;
  for (const v of values) total += (v - mean) ** 2;
  let between = 0;
  for (const g of labelMeans(values, labels).values()) between += g.n * (g.mean - mean) ** 2;
  return total > 0 ? between / total : 0;
}

/**
 * Softmax regression on standardised features trained by full-batch gradient descent; returns held-out
 * accuracy. Small and deterministic: it only has to show the information is linearly there.
 */
export function linearProbe(train: { x: number[][]; y: number[] }, test: { x: number[][]; y: number[] }, classes: number, steps = 300, lr = 0.5): number {
  const D = train.x[0]?.length ?? 0;
  const mu = new Array(D).fill(0);
  const sd = new Array(D).fill(0);
  for (const r of train.x) r.forEach((v, j) => (mu[j] += v / train.x.length));
  for (const r of train.x) r.forEach((v, j) => (sd[j] += (v - mu[j]) ** 2 / train.x.length));
  const z = (r: number[]) => r.map((v, j) => (v - mu[j]) / (Math.sqrt(sd[j]) + 1e-6));
  const X = train.x.map(z);
  const W = Array.from({ length: classes }, () => new Array(D + 1).fill(0));
  const p = new Array(classes).fill(0);
  for (let s = 0; s < steps; s++) {
    const G = Array.from({ length: classes }, () => new Array(D + 1).fill(0));
    X.forEach((x, i) => {
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let a = W[k][D];
        for (let j = 0; j < D; j++) a += W[k][j] * x[j];
        p[k] = a;
        if (a > max) max = a;
      }
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += (p[k] = Math.exp(p[k] - max));
      for (let k = 0; k < classes; k++) {
        const d = p[k] / sum - (k === train.y[i] ? 1 : 0);
        for (let j = 0; j < D; j++) G[k][j] += d * x[j];
        G[k][D] += d;
      }
    });
    for (let k = 0; k < classes; k++) for (let j = 0; j <= D; j++) W[k][j] -= (lr * G[k][j]) / X.length + lr * 1e-3 * (j < D ? W[k][j] : 0);
  }
  let correct = 0;
  test.x.map(z).forEach((x, i) => {
    const scores = W.map((w) => w.slice(0, D).reduce((a, v, j) => a + v * x[j], w[D]));
    if (argmax(scores) === test.y[i]) correct++;
  });
  return test.x.length ? correct / test.x.length : NaN;
}

/**
 * Held-out accuracy of reading a label from one number by the nearest label mean (means from `train`);
 * test labels never seen in training count as misses.
 */
export function nearestMeanProbe(train: { x: number[]; y: number[] }, test: { x: number[]; y: number[] }): number {
  const means = [...labelMeans(train.x, train.y)];
  let correct = 0;
  test.x.forEach((v, i) => {
    let best = -1, dist = Infinity;
    for (const [label, g] of means) if (Math.abs(v - g.mean) < dist) [best, dist] = [label, Math.abs(v - g.mean)];
    if (best === test.y[i]) correct++;
  });
  return test.x.length ? correct / test.x.length : NaN;
}

/**
 * Finds the LSTM units whose cell state carries the country across the filler: the correlation ratio of
 * each unit's cell state with the country at the last filler character, over long-gap test episodes,
 * and a linear probe on all cell states at that point (trained on half the episodes, tested on the rest).
 */
export function findMemoryCells(lm: LoadedModel, episodes: Episode[], pairs = COUNTRY_LANGUAGE, layer = 0): MemoryCellReport {
  if (!hasCellState(lm.model.config.cell)) throw new RangeError('the memory-cell probe needs a cell with a cell state (the LSTM family)');
  const countries = pairs.map(([c]) => c);
  const H = lm.model.config.hiddenSize;
  const atEnd: number[][] = [];
  const atMid: number[][] = [];
  const labels: number[] = [];
  const forgetSum = new Array(H).fill(0);
  let forgetN = 0;
  for (const e of episodes) {
    const tr = traceEpisode(lm, e, layer);
    atEnd.push(tr.cell[tr.fillerEnd]!);
    atMid.push(tr.cell[Math.floor((tr.fillerStart + tr.fillerEnd) / 2)]!);
    labels.push(countries.indexOf(e.country));
    for (let t = tr.fillerStart + 1; t <= tr.fillerEnd; t++) {
      tr.forget[t]!.forEach((f, u) => (forgetSum[u] += f));
      forgetN++;
    }
  }
  const units: MemoryUnit[] = [];
  for (let u = 0; u < H; u++) {
    units.push({
      unit: u,
      eta2: correlationRatio(atEnd.map((r) => r[u]), labels),
      eta2MidGap: correlationRatio(atMid.map((r) => r[u]), labels),
      meanForget: forgetSum[u] / Math.max(1, forgetN),
    });
  }
  units.sort((a, b) => b.eta2 - a.eta2);
  const half = Math.floor(episodes.length / 2);
  const probeAccuracy = linearProbe(
    { x: atEnd.slice(0, half), y: labels.slice(0, half) },
    { x: atEnd.slice(half), y: labels.slice(half) },
    countries.length,
  );
  const trainEta = Array.from({ length: H }, (_, u) => correlationRatio(atEnd.slice(0, half).map((r) => r[u]), labels.slice(0, half)));
  const topUnit = trainEta.indexOf(Math.max(...trainEta));
  const topUnitAccuracy = nearestMeanProbe(
    { x: atEnd.slice(0, half).map((r) => r[topUnit]), y: labels.slice(0, half) },
    { x: atEnd.slice(half).map((r) => r[topUnit]), y: labels.slice(half) },
  );
  return {
    episodes: episodes.length,
    units,
    meanForgetAll: forgetSum.reduce((a, b) => a + b, 0) / H / Math.max(1, forgetN),
    probeAccuracy,
    topUnit,
    topUnitAccuracy,
    chance: 1 / countries.length,
  };
}
