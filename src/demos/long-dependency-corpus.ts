// The long-dependency corpus: "I grew up in <country>." then filler sentences, then
// "I speak fluent <language>." The language is fixed by the country alone, so predicting it needs a
// memory that spans the filler; the filler length (the gap) is the difficulty knob.
// Filler sentences come from the project's own early-reader text (or the stories) and are split into
// train and test pools by a hash of the sentence, so a test episode never reuses a training sentence.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { Rng } from '../engine/rng.ts';
import { splitSentences } from '../corpus/saw-check.ts';

/** Country → language; every language appears once, so chance is 1 / pairs. */
export const COUNTRY_LANGUAGE: ReadonlyArray<readonly [country: string, language: string]> = [
  ['France', 'French'],
  ['Germany', 'German'],
  ['Spain', 'Spanish'],
  ['Italy', 'Italian'],
  ['Portugal', 'Portuguese'],
  ['Greece', 'Greek'],
  ['Poland', 'Polish'],
  ['Sweden', 'Swedish'],
  ['Norway', 'Norwegian'],
  ['Finland', 'Finnish'],
  ['Denmark', 'Danish'],
  ['the Netherlands', 'Dutch'],
  ['Hungary', 'Hungarian'],
  ['Turkey', 'Turkish'],
  ['Russia', 'Russian'],
  ['Japan', 'Japanese'],
  ['China', 'Chinese'],
  ['Korea', 'Korean'],
  ['Vietnam', 'Vietnamese'],
  ['Thailand', 'Thai'],
  ['Iran', 'Persian'],
  ['Israel', 'Hebrew'],
  ['Iceland', 'Icelandic'],
  ['Romania', 'Romanian'],
];

export const INTRO = (country: string) => `I grew up in ${country}.`;
/** The prompt the evaluation completes; the language word follows it directly. */
export const QUESTION = 'I speak fluent ';
export const OUTRO = (language: string) => `${QUESTION}${language}.`;

export type FillerSource = 'early-reader' | 'stories' | 'both';
export type FillerSplit = 'train' | 'test';

export interface Episode {
  country: string;
  language: string;
  /** Filler characters between the end of the intro sentence and the start of "I speak fluent" (spaces included). */
  gap: number;
  /** The whole episode on one line, without the newline. */
  text: string;
}

/** FNV-1a of a string: a stable, platform-independent hash for the train/test filler split. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** One sentence in five (by hash) is held out for test fillers. */
export function fillerSplitOf(sentence: string): FillerSplit {
  return fnv1a(sentence) % 5 === 0 ? 'test' : 'train';
}

// Filler must not leak the answer: no country or language names, and no sentence that itself looks
// like an intro or a question.
const FORBIDDEN = new RegExp(
  `\\b(${COUNTRY_LANGUAGE.flatMap(([c, l]) => [c.replace(/^the /, ''), l]).join('|')}|grew up|speak)\\b`,
  'i',
);

/** Distinct, answer-free filler sentences of the given texts, sorted for determinism. */
export function fillerSentences(texts: string[]): string[] {
  const set = new Set<string>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      for (const s of splitSentences(line)) {
        const t = s.replace(/\s+/g, ' ').trim();
        // Only whole sentences ending in . ! ? (or a closing quote after them) and of a modest length.
        if (t.length < 4 || t.length > 120 || !/[.!?]["']?$/.test(t) || FORBIDDEN.test(t)) continue;
        if (!/^["']?\p{Lu}/u.test(t)) continue; // the tail of a quotation ("said Mother.") is not a sentence
        if (/^["']|["']$/.test(t) && (t.match(/"/g) ?? []).length % 2 === 1) continue; // a quote cut in half
        set.add(t);
      }
    }
  }
  return [...set].sort();
}

/** The project's own stories (corpora/stories/*.txt, sorted), each without its first line, the title: not a sentence. */
export function readProjectStories(root: string): string[] {
  const dir = path.join(root, 'corpora/stories');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').slice(1).join('\n'));
}

/** The filler pool of one split, read from the project's corpora. */
export function loadFillerPool(root: string, source: FillerSource, split: FillerSplit): string[] {
  const texts: string[] = [];
  if (source !== 'stories') texts.push(readFileSync(path.join(root, 'corpora/early-reader.txt'), 'utf8'));
  if (source !== 'early-reader') texts.push(...readProjectStories(root));
  return fillerSentences(texts).filter((s) => fillerSplitOf(s) === split);
}

export interface EpisodeOptions {
  /** Filler sentences to draw from (one split only). */
  fillers: readonly string[];
  /** Smallest and largest target gap in characters. */
  minGap: number;
  maxGap: number;
  /**
   * How targets are drawn: uniform in [min, max], or log-uniform (as many gaps in 10-20 as in 100-200),
   * a built-in curriculum: short episodes teach the country → language link cheaply, long ones stretch it.
   */
  gapDistribution?: 'uniform' | 'log-uniform';
  /** Country → language pairs (default: all of COUNTRY_LANGUAGE). */
  pairs?: ReadonlyArray<readonly [string, string]>;
}

/**
 * One episode whose gap is as close to `target` as the filler allows: sentences are added while the gap
 * stays at or below the target, then shorter sentences are tried to close the remainder. The actual gap is
 * what the episode reports (evaluation buckets use it).
 */
export function makeEpisode(rng: Rng, target: number, opts: EpisodeOptions): Episode {
  const pairs = opts.pairs ?? COUNTRY_LANGUAGE;
  const [country, language] = pairs[rng.int(pairs.length)]!;
  const { fillers } = opts;
  if (fillers.length === 0) throw new RangeError('no filler sentences to build an episode from');
  const parts: string[] = [];
  // gap counts the space after the intro, each sentence, and the space before the next sentence.
  let gap = 1;
  while (gap < target) {
    let pick: string | undefined;
    for (let tries = 0; tries < 60 && pick === undefined; tries++) {
      const s = fillers[rng.int(fillers.length)]!;
      if (gap + s.length + 1 <= target) pick = s;
    }
    // Nothing fits the remainder: stop, unless the episode would have no filler at all.
    if (pick === undefined) {
      if (parts.length > 0) break;
      pick = fillers[rng.int(fillers.length)]!;
    }
    parts.push(pick);
    gap += pick.length + 1;
  }
  const filler = parts.join(' ');
  const text = `${INTRO(country)} ${filler}${filler ? ' ' : ''}${OUTRO(language)}`;
  return { country, language, gap: filler.length + (filler ? 2 : 1), text };
}

/** A target gap drawn from the options' distribution. */
export function drawGap(rng: Rng, opts: Pick<EpisodeOptions, 'minGap' | 'maxGap' | 'gapDistribution'>): number {
  if (opts.gapDistribution === 'log-uniform') {
    const lo = Math.log(opts.minGap);
    const hi = Math.log(opts.maxGap + 1);
    return Math.min(opts.maxGap, Math.floor(Math.exp(lo + (hi - lo) * rng.next())));
  }
  return opts.minGap + rng.int(opts.maxGap - opts.minGap + 1);
}

/** `count` episodes with target gaps in [minGap, maxGap], deterministic for a seed. */
export function generateEpisodes(count: number, seed: string, opts: EpisodeOptions): Episode[] {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a whole number ≥ 0 (got ${count})`);
  if (!(opts.minGap >= 1 && opts.maxGap >= opts.minGap)) throw new RangeError(`gaps must satisfy 1 ≤ min ≤ max (got ${opts.minGap}, ${opts.maxGap})`);
  const rng = new Rng(seed);
  const out: Episode[] = [];
  for (let i = 0; i < count; i++) {
    const target = drawGap(rng, opts);
    out.push(makeEpisode(rng, target, opts));
  }
  return out;
}

/** Corpus text: one episode per line. */
export function episodesToText(episodes: readonly Episode[]): string {
  return episodes.map((e) => e.text).join('\n') + '\n';
}

/** The recipe of the committed corpora/long-dependency/train.txt; a test keeps them in step. */
export const LONG_DEPENDENCY_CORPUS = {
  file: 'corpora/long-dependency/train.txt',
  episodes: 10000,
  seed: 'long-dependency/train',
  // Gaps from 1 (no filler at all): the short episodes are where the link from country to language is
  // first learned, and the log-uniform draw keeps them as common as the long ones.
  minGap: 1,
  maxGap: 360,
  gapDistribution: 'log-uniform' as const,
  source: 'early-reader' as FillerSource,
} as const;

/**
 * The same draw continued to 300,000 episodes (its first 10,000 are train.txt), for fine-tuning on episodes
 * the model has never seen: 33 MB, so it is generated on demand (a recipe's "generate": "long-dependency-large")
 * rather than committed. A 30-minute run over train.txt reads each episode about 400 times and memorises
 * them; over this file a fine-tuning run reads each one at most once or twice.
 */
export const LONG_DEPENDENCY_LARGE = { file: 'corpora/long-dependency/large.txt', episodes: 300000 } as const;

/** The first `episodes` episodes of the recipe's draw (deterministic; 300,000 take about a second). */
export function buildLongDependencyCorpus(root: string, episodes: number = LONG_DEPENDENCY_CORPUS.episodes): string {
  const r = LONG_DEPENDENCY_CORPUS;
  const fillers = loadFillerPool(root, r.source, 'train');
  return episodesToText(generateEpisodes(episodes, r.seed, { fillers, minGap: r.minGap, maxGap: r.maxGap, gapDistribution: r.gapDistribution }));
}

/** Writes the large corpus under `root` unless the file already holds exactly the recipe's text. */
export async function ensureLargeLongDependencyCorpus(root: string): Promise<{ file: string; written: boolean }> {
  const file = path.join(root, LONG_DEPENDENCY_LARGE.file);
  const text = buildLongDependencyCorpus(root, LONG_DEPENDENCY_LARGE.episodes);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return { file, written: false };
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return { file, written: true };
}
