// The long-dependency task with real prose between the country and the language: "I grew up in France."
// then a run of consecutive sentences from a children's book, then "I speak fluent French." Built from
// code, never committed: the books are text files given on the command line or in a recipe (corpora/gutenberg
// after `storyteller corpus fetch`), plus the training half of the project's early reader.
// Three filler sources the model never trains on: the project's own stories (corpora/stories, shipped, so every
// machine can run that test), five whole books (HELD_OUT_BOOKS, measured when present) and the early reader's
// test half (the generator test set of long-dependency.ts); their pools are in long-dependency-test-pools.ts.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { expandCorpusPaths, readTextFile } from '../corpus/files.ts';
import { Rng } from '../engine/rng.ts';
import { UserError } from '../errors.ts';
import { foldCharacter, normalizeText } from '../text/normalize.ts';
import { COUNTRY_LANGUAGE, drawGap, episodesToText, fillerSplitOf, INTRO, OUTRO, type Episode } from './long-dependency-corpus.ts';

/**
 * Whole books kept out of training, identified by the file names they have in the shared corpus folder and
 * after `storyteller corpus fetch` ("EBOOK-title.txt"). Five different voices, none of them in tales-char:
 * animal stories, doll stories, a family novel, a fantasy novel and fairy tales.
 */
export const HELD_OUT_BOOKS: ReadonlyArray<{ ebook: number; title: string; file: string }> = [
  { ebook: 2557, title: 'Old Mother West Wind', file: 'burgess-old-mother-west-wind.txt' },
  { ebook: 18190, title: 'Raggedy Ann Stories', file: 'gruelle-raggedy-ann.txt' },
  { ebook: 1874, title: 'The Railway Children', file: 'nesbit-railway-children.txt' },
  { ebook: 708, title: 'The Princess and the Goblin', file: 'macdonald-princess-and-goblin.txt' },
  { ebook: 641, title: 'The Violet Fairy Book', file: 'lang-violet-fairy-book.txt' },
];

/** True for a file that holds one of HELD_OUT_BOOKS. */
export function isHeldOutBook(file: string): boolean {
  const base = path.basename(file);
  return HELD_OUT_BOOKS.some((b) => base === b.file || base.startsWith(`${b.ebook}-`));
}

// Filler must not give the answer away or contain the episode's own frame: no country or language names (nor
// Frenchman, Dutchwoman…), no "grew up", no "fluent".
const FORBIDDEN = new RegExp(
  `\\b(${COUNTRY_LANGUAGE.flatMap(([c, l]) => [c.replace(/^the /, ''), l]).join('|')})|\\bgrew up\\b|\\bfluent`,
  'i',
);
// Abbreviations and initials a full stop does not end a sentence after.
const ABBREVIATION = /(?:^|[\s"'(])(?:Mr|Mrs|Ms|Dr|St|Mt|Jr|Sr|Prof|Capt|Col|Gen|Rev|Lieut|Sgt|vs|etc|i\.e|e\.g|[A-Z])\.$/;
/** What a filler character may be: printable ASCII (books are folded to it), minus "_", Gutenberg's italics. */
const FILLER_TEXT = /^[\x20-\x5e\x60-\x7e]+$/;
const MAX_SENTENCE = 200;

/** Book text in the characters a person types: quotes, dashes and accents folded to ASCII, "_" italics dropped, ` as '. */
export function foldToAscii(text: string): string {
  let out = '';
  for (const ch of text) out += ch < '\x80' ? ch : foldCharacter(ch);
  return out.replace(/_/g, '').replace(/`/g, "'"); // `quoted' is an old typewriter way of writing 'quoted'
}

/**
 * Sentences of a paragraph: a sentence ends at . ! or ? (with any closing quotes or brackets) followed by a
 * space and a capital, digit or opening quote, except after an abbreviation or an initial.
 */
export function proseSentences(paragraph: string): string[] {
  const p = paragraph.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let start = 0;
  const end = /[.!?]+["')\]]*(?= ["'(]?[A-Z0-9])/g;
  for (let m = end.exec(p); m; m = end.exec(p)) {
    const stop = m.index + m[0].length;
    if (m[0] === '.' && ABBREVIATION.test(p.slice(Math.max(start, stop - 8), stop))) continue;
    out.push(p.slice(start, stop).trim());
    start = stop + 1;
  }
  if (start < p.length) out.push(p.slice(start).trim());
  return out.filter(Boolean);
}

/** A sentence fit to be filler: whole, in typable characters, of modest length, not naming the answer. */
export function isFillerSentence(s: string): boolean {
  return (
    s.length >= 2 &&
    s.length <= MAX_SENTENCE &&
    FILLER_TEXT.test(s) &&
    /[.!?]["')\]]*$/.test(s) &&
    /^["'(]?[A-Z0-9]/.test(s) &&
    /[a-z]/.test(s) &&
    !/[[\]{}*<>|\\]/.test(s) && // footnote marks, illustration tags, tables
    !isTitleCase(s) &&
    !FORBIDDEN.test(s)
  );
}

/**
 * Headings and contents lines: most words capitalised ("The Queen of the Field Mice"), or a title and a page
 * or chapter number ("The Rescue 14.").
 */
function isTitleCase(s: string): boolean {
  const words = s.match(/[A-Za-z]+/g) ?? [];
  const capitalised = words.filter((w) => /^[A-Z]/.test(w)).length;
  if (/\d\.$/.test(s) && words.every((w) => /^[A-Z]/.test(w) || /^(of|the|and|a|an|in|to|on|at|for|with)$/.test(w))) return true;
  return words.length >= 4 && capitalised / words.length > 0.6;
}

/**
 * The sentences of a text in reading order, `null` where an unfit sentence or a paragraph break of a
 * non-prose block (a heading, a verse in capitals) interrupts: a filler run never jumps over one.
 */
export function textToSentences(text: string): Array<string | null> {
  const out: Array<string | null> = [];
  for (const para of normalizeText(foldToAscii(text), { unwrap: true }).split('\n\n')) {
    if (!/[a-z]/.test(para)) {
      out.push(null);
      continue;
    }
    for (const s of proseSentences(para)) out.push(isFillerSentence(s) ? s : null);
  }
  return out;
}

/** A filler pool: sentences in reading order (null breaks a run); runs never cross from one text to the next. */
export interface ProsePool {
  sentences: Array<string | null>;
  /** Where a new text starts in `sentences`. */
  starts: number[];
}

export function prosePool(texts: readonly string[], keep: (s: string) => boolean = () => true): ProsePool {
  const sentences: Array<string | null> = [];
  const starts: number[] = [];
  for (const t of texts) {
    starts.push(sentences.length);
    for (const s of textToSentences(t)) sentences.push(s !== null && keep(s) ? s : null);
    sentences.push(null);
  }
  return { sentences, starts };
}

/** Sentences a pool can use. */
export function poolSize(pool: ProsePool): number {
  return pool.sentences.filter((s) => s !== null).length;
}

const quotesBalanced = (s: string) => (s.match(/"/g) ?? []).length % 2 === 0;

/**
 * A run of consecutive sentences from a random place in the pool, as long as fits in `target` characters of
 * gap (which counts the spaces around the filler, as makeEpisode's does). Up to 60 starting places are tried
 * for one whose first sentence fits; runs with an unmatched double quote are not used (a person types whole
 * quotations). When nothing fits the filler is empty, unless `mustFill`.
 */
export function proseRun(rng: Rng, pool: ProsePool, target: number): string {
  const { sentences } = pool;
  if (sentences.every((s) => s === null)) throw new RangeError('no filler sentences to build an episode from');
  let best = '';
  for (let tries = 0; tries < 60; tries++) {
    let i = rng.int(sentences.length);
    while (sentences[i] === null) i = (i + 1) % sentences.length;
    const parts: string[] = [];
    let gap = 1;
    for (let j = i; sentences[j] != null && gap + sentences[j]!.length + 1 <= target; j++) {
      parts.push(sentences[j]!);
      gap += sentences[j]!.length + 1;
    }
    // Drop trailing sentences until the quotes match.
    while (parts.length && !quotesBalanced(parts.join(' '))) parts.pop();
    const run = parts.join(' ');
    if (run.length > best.length) best = run;
    // Within a tenth of the target (or 5 characters) is close enough.
    if (target - (best.length + 2) <= Math.max(5, target / 10)) break;
  }
  return best;
}

/** An episode whose filler is a run of prose (gap as close to `target` as the pool allows, never above it). */
export function makeProseEpisode(rng: Rng, target: number, pool: ProsePool, pairs = COUNTRY_LANGUAGE): Episode {
  const [country, language] = pairs[rng.int(pairs.length)]!;
  const filler = target > 3 ? proseRun(rng, pool, target) : '';
  const text = `${INTRO(country)} ${filler}${filler ? ' ' : ''}${OUTRO(language)}`;
  return { country, language, gap: filler.length + (filler ? 2 : 1), text };
}

// ---------------------------------------------------------------------------------------------------
// The training corpus.

/** The recipe of the prose corpora: a deterministic function of the book files, the early reader and this. */
export const LONG_DEPENDENCY_PROSE = {
  /** The first 20,000 episodes: the selection score draws its (training) sentences from them. */
  file: 'corpora/long-dependency/prose-train.txt',
  episodes: 20000,
  /** The same draw continued: what the prose recipes train on, so a run reads few episodes twice. */
  largeFile: 'corpora/long-dependency/prose-large.txt',
  largeEpisodes: 300000,
  seed: 'long-dependency/prose',
  minGap: 1,
  maxGap: 360,
  gapDistribution: 'log-uniform' as const,
  /** Share of episodes whose filler comes from the early reader's training half (keeps the generator test up). */
  earlyReaderShare: 0.2,
  /**
   * Share of episodes whose filler ends without its full stop (or ! or ?), as a person may type it, so the
   * question need not start a sentence of its own.
   */
  unfinishedShare: 0.15,
  /** Where the books are when a recipe does not say: `storyteller corpus fetch` writes there. */
  books: ['corpora/gutenberg'],
} as const;

export interface ProseSources {
  /** Pool of the books (held-out books removed). */
  books: ProsePool;
  /** Pool of the early reader's training sentences. */
  earlyReader: ProsePool;
  /** The book files read, and the held-out ones that were skipped. */
  bookFiles: string[];
  skipped: string[];
}

/** Early reader sentences of the training split (the generator test set uses the others). */
export function earlyReaderTrainPool(root: string): ProsePool {
  const file = path.join(root, 'corpora/early-reader.txt');
  if (!existsSync(file)) throw new UserError(`${file}: no such file; the prose episodes take the early reader's training sentences from it`);
  const text = readFileSync(file, 'utf8');
  // One sentence per line: blank lines between lines keep each line a paragraph of its own.
  return prosePool([text.split('\n').join('\n\n')], (s) => fillerSplitOf(s) === 'train');
}

/** Reads the training sources: the given book files or folders (held-out books skipped) and the early reader. */
export async function loadProseSources(root: string, bookPaths: readonly string[]): Promise<ProseSources> {
  const earlyReader = earlyReaderTrainPool(root); // first: it fails at once when the project is not there
  const abs = bookPaths.map((p) => path.resolve(root, p));
  const missing = abs.find((p) => !existsSync(p));
  if (missing) throw new UserError(`${missing}: no such file or folder of books; fetch them (storyteller corpus fetch, see the recipe's "fetch") or give --books DIR`);
  // The project's own texts are never books: the stories are the unseen-prose test, the early reader comes in
  // split, and the long-dependency corpora are episodes (a user may well give the whole corpora/ folder).
  const own = ['corpora/stories', 'corpora/long-dependency', 'corpora/early-reader.txt'].map((p) => path.join(root, p));
  const files = (await expandCorpusPaths(abs)).filter((f) => !own.some((o) => f === o || f.startsWith(o + path.sep)));
  const bookFiles = files.filter((f) => !isHeldOutBook(f));
  const skipped = files.filter(isHeldOutBook);
  if (bookFiles.length === 0) throw new UserError(`${bookPaths.join(', ')}: no books to train on (only held-out ones)`);
  const texts: string[] = [];
  for (const f of bookFiles) texts.push(await readTextFile(f));
  return { books: prosePool(texts), earlyReader, bookFiles, skipped };
}

/** The episode with its filler's last . ! or ? dropped (closing quotes kept): "… under the big tree I speak fluent". */
export function withoutFinalStop(e: Episode): Episode {
  const intro = INTRO(e.country);
  const question = e.text.lastIndexOf(OUTRO(e.language));
  const filler = e.text.slice(intro.length + 1, Math.max(intro.length + 1, question - 1));
  if (!filler) return e;
  const cut = filler.replace(/[.!?]+(["')\]]*)$/, '$1');
  return { ...e, gap: cut.length + 2, text: `${intro} ${cut} ${OUTRO(e.language)}` };
}

/** The first `count` episodes of the recipe's draw over these sources. */
export function proseEpisodes(sources: Pick<ProseSources, 'books' | 'earlyReader'>, count: number, seed: string = LONG_DEPENDENCY_PROSE.seed): Episode[] {
  const r = LONG_DEPENDENCY_PROSE;
  const rng = new Rng(seed);
  const out: Episode[] = [];
  for (let i = 0; i < count; i++) {
    const target = drawGap(rng, r);
    const pool = rng.next() < r.earlyReaderShare ? sources.earlyReader : sources.books;
    const episode = makeProseEpisode(rng, target, pool);
    out.push(rng.next() < r.unfinishedShare ? withoutFinalStop(episode) : episode);
  }
  return out;
}

/**
 * Writes the small prose corpus (`train`) or both it and the large one (`large`, which starts with the small
 * one's episodes) under `root` from the books at `bookPaths`; a file that already holds exactly its text is
 * left alone. `large` writes the small one too because the selection score reads its sentences.
 */
export async function ensureProseCorpus(
  root: string,
  stage: 'train' | 'large',
  bookPaths: readonly string[] = LONG_DEPENDENCY_PROSE.books,
  counts: { episodes: number; largeEpisodes: number } = LONG_DEPENDENCY_PROSE,
): Promise<{ file: string; written: boolean; note: string }> {
  const r = { ...LONG_DEPENDENCY_PROSE, ...counts };
  const sources = await loadProseSources(root, bookPaths);
  const episodes = proseEpisodes(sources, stage === 'train' ? r.episodes : r.largeEpisodes);
  const note = `${sources.bookFiles.length} books (${poolSize(sources.books).toLocaleString('en')} sentences), ${sources.skipped.length} held-out books left out`;
  const written = await writeIfChanged(path.join(root, r.file), episodesToText(episodes.slice(0, r.episodes)));
  if (stage === 'train') return { file: path.join(root, r.file), written, note };
  const file = path.join(root, r.largeFile);
  return { file, written: (await writeIfChanged(file, episodesToText(episodes))) || written, note };
}

async function writeIfChanged(file: string, text: string): Promise<boolean> {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return true;
}
