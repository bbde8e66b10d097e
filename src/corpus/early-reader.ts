// A Dick-and-Jane-style early reader, generated from a small grammar so the corpus is ours, tiny in
// vocabulary and endlessly varied. One sentence unit per line, paragraphs of 3-7 units separated by
// a blank line. A "unit" is one line: usually one sentence, sometimes a line of dialogue with its
// speaker ("Look, Jane!" said Doug. "See Spot run.").
//
// Invariant: no line ever says "X saw X." (someone seeing themselves). Every "saw"/"see" template
// draws two different characters, so a model trained on this text that writes "Jane saw Jane." has
// made a measurable mistake (see saw-check.ts). The grammar is in early-reader-grammar.ts.
import seedrandom from 'seedrandom';
import { CLOSERS, drawScene, OPENERS, pick, pickMiddle, type Rng, type Template } from './early-reader-grammar.ts';

export interface EarlyReaderOptions {
  /** Number of sentence units (= non-empty lines) to write. */
  sentences: number;
  /** seedrandom seed; the same seed always gives the same text. */
  seed: string;
}

/** Paragraph sizes 3-7 that add up to `total`, never leaving a last paragraph shorter than 3. */
function paragraphSize(rng: Rng, remaining: number): number {
  if (remaining <= 7) return remaining;
  const size = 3 + Math.floor(rng() * 5);
  return Math.min(size, remaining - 3);
}

function paragraph(rng: Rng, size: number): string[] {
  const scene = drawScene(rng);
  const lines: string[] = [];
  for (let i = 0; i < size; i++) {
    let template: Template;
    if (i === 0) template = pick(rng, OPENERS);
    else if (i === size - 1 && size >= 3) template = pick(rng, CLOSERS);
    else template = pickMiddle(rng);
    lines.push(template(rng, scene));
  }
  return lines;
}

/**
 * The early-reader text: `sentences` lines in paragraphs separated by blank lines, ending with a
 * newline. Deterministic for a given seed.
 */
export function generateEarlyReader(opts: EarlyReaderOptions): string {
  if (!Number.isInteger(opts.sentences) || opts.sentences < 0) {
    throw new RangeError(`sentences must be a non-negative integer, got ${opts.sentences}`);
  }
  const rng = seedrandom(opts.seed);
  const paragraphs: string[] = [];
  let remaining = opts.sentences;
  while (remaining > 0) {
    const size = paragraphSize(rng, remaining);
    paragraphs.push(paragraph(rng, size).join('\n'));
    remaining -= size;
  }
  return paragraphs.length === 0 ? '' : `${paragraphs.join('\n\n')}\n`;
}

/** The recipe of the committed corpora/early-reader.txt (about 1 MB); a test keeps them in step. */
export const EARLY_READER_CORPUS = {
  file: 'corpora/early-reader.txt',
  sentences: 48000,
  seed: 'doug-jane-spot',
} as const;
