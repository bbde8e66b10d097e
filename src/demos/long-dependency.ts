// Evaluation of the long-dependency task: for held-out episodes grouped by gap, does the model's greedy
// completion of "I speak fluent " name the right language, and how much probability does it give the
// whole language word? The memory-cell probe is in memory-cells.ts, episodes in a row in multi-episode.ts.
// Everything here is a pure function of loaded models and returns plain data that the CLI, the TUI and
// the bot can render.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Arr } from '../engine/backend.ts';
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
import { LONG_DEPENDENCY_PROSE, makeProseEpisode, type ProsePool } from './long-dependency-prose.ts';
import { selectionPoolFromCorpus } from './long-dependency-test-pools.ts';

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
  /** The model's parameter count. */
  params?: number;
  gapMin: number;
  gapMax: number;
  /** Episodes scored. */
  n: number;
  /** Fraction whose greedy completion up to "." is exactly the language. */
  accuracy: number;
  /** Mean probability of the whole language word (product of its character probabilities). */
  meanProb: number;
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
export function encodeEpisodeText(lm: ModelAndTokens, text: string): Int32Array {
  const ids = lm.tokenizer.encodePrompt(text, 'replace').ids;
  const nl = lm.tokenizer.idOf('\n');
  return Int32Array.from(nl === undefined ? ids : [nl, ...ids]);
}

/** A copy of a model state (to answer from it while the original reads on). */
export function copyState(model: RnnModel, s: ModelState): ModelState {
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
  const { model } = lm;
  const V = model.config.vocabSize;
  const cut = episode.text.lastIndexOf(QUESTION) + QUESTION.length;
  const prime = encodeEpisodeText(lm, episode.text.slice(0, cut));
  const state = model.zeroState(1);
  const logits = model.forward(prime, prime.length, 1, state);
  return scoreAnswer(lm, state, logits.slice((prime.length - 1) * V, prime.length * V), episode.language, maxChars);
}

/**
 * Scores `language` as the answer from a model that has just read "I speak fluent ": `state` is its state
 * and `first` its logits for the next character. `state` is left unchanged.
 */
export function scoreAnswer(lm: ModelAndTokens, state: ModelState, first: Arr, language: string, maxChars = 24): EpisodeScore {
  const { model, tokenizer } = lm;
  const V = model.config.vocabSize;
  const probs = new Float64Array(V);
  const one = new Int32Array(1);

  // Probability of the whole word by teacher forcing.
  const forced = copyState(model, state);
  const word = tokenizer.encodePrompt(language, 'replace').ids;
  let prob = 1;
  let last: Arr = first;
  for (let i = 0; i < word.length; i++) {
    softmax(last, 1, probs);
    prob *= probs[word[i]];
    if (i + 1 < word.length) {
      one[0] = word[i];
      last = model.forward(one, 1, 1, forced).slice(0, V);
    }
  }

  // Greedy completion from the state right after the question.
  const greedy = copyState(model, state);
  let completion = '';
  last = first;
  for (let i = 0; i < maxChars; i++) {
    const id = argmax(last);
    const ch = tokenizer.vocab[id];
    if (ch === '.' || ch === '\n') break;
    completion += ch;
    one[0] = id;
    last = model.forward(one, 1, 1, greedy).slice(0, V);
  }
  return { completion, correct: completion === language, prob };
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
      params: lm.model.paramCount,
      gapMin: bucket.min,
      gapMax: bucket.max,
      n,
      accuracy: n ? correct / n : NaN,
      meanProb: n ? probSum / n : NaN,
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

