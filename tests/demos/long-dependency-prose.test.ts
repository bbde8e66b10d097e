// The prose long-dependency corpus: sentences split and cleaned as a person would type them, episodes of
// consecutive prose, held-out books and the project's stories never in training, deterministic files.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureGeneratedCorpus } from '../../src/cli/generated-corpora.ts';
import { bucketEpisodes, GAP_BUCKETS, proseSelectionScorer } from '../../src/demos/long-dependency.ts';
import { loadModel } from '../../src/models.ts';
import { readRecipe } from '../../src/cli/recipe.ts';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { COUNTRY_LANGUAGE, fillerSentences, fillerSplitOf } from '../../src/demos/long-dependency-corpus.ts';
import { measureGap } from './measure-gap.ts';
import {
  ensureProseCorpus,
  foldToAscii,
  HELD_OUT_BOOKS,
  isFillerSentence,
  isHeldOutBook,
  LONG_DEPENDENCY_PROSE,
  loadProseSources,
  poolSize,
  proseEpisodes,
  withoutFinalStop,
  proseSentences,
} from '../../src/demos/long-dependency-prose.ts';
import { selectionPoolFromCorpus, storiesPool } from '../../src/demos/long-dependency-test-pools.ts';
import { scratchDir } from '../support/scratch.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Book-like text: hard-wrapped paragraphs, curly quotes, dashes, digits, a heading and a contents line.
const BOOK_A = `CHAPTER I

Mr. Brown had 3 cats and a dog called Rex. Every morning at 7 o\u2019clock he fed them
\u2014 first the cats, then the dog. \u201cBreakfast!\u201d he called. The cats came running.

The Cowardly Lion 7. The Queen of the Field Mice 8.

She lived in a small house by the river; it had a blue door and 12 windows. Her
name was Jane Q. Public, and she liked _very_ much to read. Zebras, quails and foxes
came to visit her garden in the spring.
`;
const BOOK_B = `The old sailor had been to France twice.

Once there was a little grey goose who could not swim. Every day she sat by the pond and
watched the ducks. "Why can I not swim like you?" she asked. The ducks only laughed at her.
Then one day a heavy rain filled the meadow, and the goose found that she could float.
`;
// Stands in for a held-out book: none of its sentences may reach a training corpus.
const HELD = `The railway ran past the bottom of the garden, and the children waved at every train.
Peter counted the carriages while Phyllis held the flag. Bobbie watched the signal turn green.
`;

function projectCopy(): string {
  const root = scratchDir('ld-prose');
  mkdirSync(path.join(root, 'corpora/books'), { recursive: true });
  copyFileSync(path.join(ROOT, 'corpora/early-reader.txt'), path.join(root, 'corpora/early-reader.txt'));
  writeFileSync(path.join(root, 'corpora/books/a-book.txt'), BOOK_A);
  writeFileSync(path.join(root, 'corpora/books/b-book.txt'), BOOK_B);
  writeFileSync(path.join(root, 'corpora/books', HELD_OUT_BOOKS[2]!.file), HELD);
  writeFileSync(path.join(root, 'corpora/books', `${HELD_OUT_BOOKS[0]!.ebook}-old-mother-west-wind.txt`), HELD);
  return root;
}

describe('prose sentences', () => {
  it('splits at sentence ends, not after Mr. or an initial, and keeps quotations with their speaker', () => {
    expect(proseSentences('Mr. Brown came home. "Hello!" he said. It was J. M. Barrie\'s book. Was it? Yes.')).toEqual([
      'Mr. Brown came home.',
      '"Hello!" he said.',
      "It was J. M. Barrie's book.",
      'Was it?',
      'Yes.',
    ]);
  });

  it('folds book typography to what a person types and drops "_" italics', () => {
    expect(foldToAscii('\u201cCaf\u00e9\u201d \u2014 it\u2019s _very_ good, `yes\'')).toBe('"Cafe" - it\'s very good, \'yes\'');
  });

  it('keeps ordinary sentences with digits and punctuation; drops headings, contents lines, tags and sentences that give the answer away', () => {
    expect(isFillerSentence('She had 12 windows; it was 1906.')).toBe(true);
    expect(isFillerSentence('"Oh!" said Zeb, quietly.')).toBe(true);
    for (const bad of ['He went to France.', 'A Frenchman sat down.', 'I grew up there.', 'She spoke fluently.', 'The Cowardly Lion 7.', 'The Rescue 14.', 'The Queen of the Field Mice.', '[Illustration: a dog.]', 'no capital here.', 'It ends without a stop'])
      expect(isFillerSentence(bad), bad).toBe(false);
  });

  it('knows the held-out books by their shared file names and by the names storyteller corpus fetch gives them', () => {
    expect(HELD_OUT_BOOKS).toHaveLength(5);
    for (const b of HELD_OUT_BOOKS) {
      expect(isHeldOutBook(`/x/${b.file}`)).toBe(true);
      expect(isHeldOutBook(`/x/${b.ebook}-some-title.txt`)).toBe(true);
    }
    expect(isHeldOutBook('/x/carroll-alice.txt')).toBe(false);
    expect(isHeldOutBook('/x/11-alices-adventures-in-wonderland.txt')).toBe(false);
  });
});

describe('prose episodes', () => {
  it('are "I grew up in X." + consecutive prose + "I speak fluent Y." with the full character set and the gap reported', async () => {
    const root = projectCopy();
    const sources = await loadProseSources(root, [path.join(root, 'corpora/books')]);
    expect(sources.bookFiles.map((f) => path.basename(f))).toEqual(['a-book.txt', 'b-book.txt']);
    expect(sources.skipped).toHaveLength(2);
    const pairs = new Map(COUNTRY_LANGUAGE);
    const episodes = proseEpisodes(sources, 400);
    for (const e of episodes) {
      const m = /^I grew up in ([^.]+)\. (?:(.*) )?I speak fluent ([A-Za-z]+)\.$/.exec(e.text);
      expect(m, e.text).not.toBeNull();
      expect(pairs.get(m![1]!)).toBe(m![3]);
      expect(e.gap).toBe(measureGap(e.text));
      expect(e.gap).toBeLessThanOrEqual(LONG_DEPENDENCY_PROSE.maxGap);
      expect(e.text).toMatch(/^[\x20-\x7e]+$/);
    }
    const text = episodes.map((e) => e.text.slice(e.text.indexOf('.') + 1, e.text.lastIndexOf('I speak fluent'))).join('\n');
    // Consecutive sentences of one paragraph stay together, with case, digits and punctuation kept.
    expect(text).toContain('Every morning at 7 o\'clock he fed them - first the cats, then the dog. "Breakfast!" he called.');
    expect(text).toContain('Her name was Jane Q. Public, and she liked very much to read.');
    expect(text).not.toMatch(/CHAPTER|Cowardly|France/);
    for (const s of ['waved at every train', 'Phyllis', 'Bobbie']) expect(text).not.toContain(s);
    // Some fillers end without their full stop, as a person may type them; the rest end a sentence.
    const unfinished = episodes.filter((e) => e.gap > 1 && !/[.!?]["')\]]* I speak fluent/.test(e.text));
    expect(unfinished.length / episodes.filter((e) => e.gap > 1).length).toBeGreaterThan(0.08);
    expect(unfinished.length / episodes.filter((e) => e.gap > 1).length).toBeLessThan(0.25);
    // The early reader's test half (the generator test set) never appears.
    const erTest = fillerSentences([readFileSync(path.join(root, 'corpora/early-reader.txt'), 'utf8')]).filter((s) => fillerSplitOf(s) === 'test' && s.length > 25);
    expect(erTest.length).toBeGreaterThan(10);
    expect(erTest.filter((s) => text.includes(s))).toEqual([]);
    expect(text).toMatch(/Doug|Jane|Spot/); // its training half does
  });

  it('never trains on the project\'s stories or its long-dependency corpora, even when a folder that holds them is given', async () => {
    const root = projectCopy();
    mkdirSync(path.join(root, 'corpora/stories'));
    writeFileSync(path.join(root, 'corpora/stories/01-a-story.txt'), 'A Story\n\nThe hen counted the clouds above the barn.\n');
    mkdirSync(path.join(root, 'corpora/long-dependency'));
    writeFileSync(path.join(root, 'corpora/long-dependency/train.txt'), 'I grew up in Spain. The cow jumped over the fence. I speak fluent Spanish.\n');
    const sources = await loadProseSources(root, [path.join(root, 'corpora')]);
    expect(sources.bookFiles.map((f) => path.relative(root, f))).toEqual(['corpora/books/a-book.txt', 'corpora/books/b-book.txt']);
  });

  it('writes the stage-1 corpus and the stage-2 one (stage 1 first) deterministically, only when a file differs', async () => {
    const root = projectCopy();
    const books = [path.join(root, 'corpora/books')];
    const counts = { episodes: 300, largeEpisodes: 900 };
    const one = await ensureProseCorpus(root, 'train', books, counts);
    expect(one).toMatchObject({ file: path.join(root, LONG_DEPENDENCY_PROSE.file), written: true });
    const train = readFileSync(one.file, 'utf8');
    expect(train.split('\n').filter(Boolean)).toHaveLength(300);
    expect(await ensureProseCorpus(root, 'train', books, counts)).toMatchObject({ written: false });
    const two = await ensureProseCorpus(root, 'large', books, counts);
    expect(two).toMatchObject({ file: path.join(root, LONG_DEPENDENCY_PROSE.largeFile), written: true });
    const large = readFileSync(two.file, 'utf8');
    expect(large.split('\n').filter(Boolean)).toHaveLength(900);
    expect(large.startsWith(train)).toBe(true);
    writeFileSync(two.file, 'damaged');
    expect(await ensureProseCorpus(root, 'large', books, counts)).toMatchObject({ written: true });
    expect(readFileSync(two.file, 'utf8')).toBe(large);
    // Other books, another corpus.
    writeFileSync(path.join(root, 'corpora/books/b-book.txt'), BOOK_B.replace('goose', 'hen'));
    expect(await ensureProseCorpus(root, 'train', books, counts)).toMatchObject({ written: true });
    expect(readFileSync(one.file, 'utf8')).not.toBe(train);
  });

  it('says in one line when the books are missing or all held out, or the early reader is not there', async () => {
    const root = projectCopy();
    await expect(loadProseSources(root, [path.join(root, 'corpora/gutenberg')])).rejects.toThrow(/no such file or folder of books.*--books/);
    await expect(loadProseSources(root, [path.join(root, 'corpora/books', HELD_OUT_BOOKS[2]!.file)])).rejects.toThrow(/no books to train on/);
    await expect(loadProseSources(scratchDir('ld-empty'), [path.join(root, 'corpora/books')])).rejects.toThrow(/early-reader\.txt: no such file/);
  });

  it('selection episodes use only the sentences of the stage-1 corpus', () => {
    const corpus = 'I grew up in Spain. The cow ate grass. It was green. I speak fluent Spanish.\nI grew up in Iran. I speak fluent Persian.\nI grew up in Korea. Mr. Fox ran. I speak fluent Korean.\n';
    const pool = selectionPoolFromCorpus(corpus);
    expect(pool.sentences.filter((s) => s !== null)).toEqual(['The cow ate grass.', 'It was green.', 'Mr. Fox ran.']);
    expect(poolSize(pool)).toBe(3);
  });
});

describe('the prose selection score', () => {
  it('tells a model that keeps the country from one that does not, on episodes of the stage-1 corpus\'s sentences', async () => {
    // Early-reader text standing in for a book: the shipped generator-filler LSTM knows it, the RNN does not.
    const root = projectCopy();
    writeFileSync(path.join(root, 'corpora/books/b-book.txt'), readFileSync(path.join(ROOT, 'corpora/early-reader.txt'), 'utf8'));
    await ensureProseCorpus(root, 'train', [path.join(root, 'corpora/books')], { episodes: 3000, largeEpisodes: 3000 });
    const score = proseSelectionScorer(root, 20);
    expect(score(await loadModel('long-dep-lstm'))).toBeGreaterThan(0.6);
    expect(score(await loadModel('long-dep-rnn'))).toBeLessThan(0.2);
  });

  it('says in one line when there is no stage-1 prose corpus to select by', () => {
    expect(() => proseSelectionScorer(scratchDir('ld-no-prose'))).toThrow(/prose-train\.txt: no prose corpus to select by/);
  });
});

describe('unseen-prose test episodes (the project\'s stories)', () => {
  it('fill every gap bucket with the requested number of episodes, deterministically, from the stories', () => {
    const prose = storiesPool(ROOT);
    expect(poolSize(prose)).toBeGreaterThan(1000);
    const sets = bucketEpisodes({ prose, perBucket: 20, seed: 'stories-test' });
    expect(sets.map((s) => s.episodes.length)).toEqual(GAP_BUCKETS.map(() => 20));
    const stories = storiesPool(ROOT).sentences.filter((s): s is string => s !== null);
    for (const { bucket, episodes } of sets) {
      for (const e of episodes) {
        expect(e.gap).toBeGreaterThanOrEqual(bucket.min);
        expect(e.gap).toBeLessThanOrEqual(bucket.max);
        const filler = e.text.slice(e.text.indexOf('.') + 2, e.text.lastIndexOf(' I speak fluent'));
        expect(stories.some((s) => filler.startsWith(s)), filler).toBe(true);
      }
    }
    expect(bucketEpisodes({ prose, perBucket: 20, seed: 'stories-test' })).toEqual(sets);
  });
});

describe('generated prose corpora from a recipe', () => {
  it('take their books from the recipe, or from --books in its place; a bad spec is one line', async () => {
    const root = projectCopy();
    const recipe = path.join(root, 'configs/r.json');
    const spec = { corpus: 'long-dependency-prose', books: ['corpora/nowhere'] };
    await expect(ensureGeneratedCorpus(spec, root, recipe)).rejects.toThrow(/corpora\/nowhere: no such file or folder of books/);
    await expect(ensureGeneratedCorpus({ corpus: 'long-dependency-prose', books: 'corpora/books' }, root, recipe)).rejects.toThrow(/"generate".books must be a list of paths/);
    await expect(ensureGeneratedCorpus({ corpus: 'nonsense' }, root, recipe)).rejects.toThrow(/unknown "generate" corpus "nonsense"/);
    await ensureGeneratedCorpus(spec, root, recipe, [path.join(root, 'corpora/books')]);
    expect(readFileSync(path.join(root, LONG_DEPENDENCY_PROSE.file), 'utf8').split('\n').filter(Boolean)).toHaveLength(LONG_DEPENDENCY_PROSE.episodes);
  });
});

describe('an unfinished filler', () => {
  it('drops the last . ! or ? of the filler and nothing else, and reports the shorter gap', () => {
    const e = (filler: string) => ({ country: 'Spain', language: 'Spanish', gap: filler.length + 2, text: `I grew up in Spain. ${filler} I speak fluent Spanish.` });
    expect(withoutFinalStop(e('We ran. It rained!'))).toEqual(e('We ran. It rained'));
    expect(withoutFinalStop(e('"Come in," she said. "Sit down."'))).toEqual(e('"Come in," she said. "Sit down"'));
    expect(withoutFinalStop(e('Really?!'))).toEqual(e('Really'));
    const empty = { country: 'Spain', language: 'Spanish', gap: 1, text: 'I grew up in Spain. I speak fluent Spanish.' };
    expect(withoutFinalStop(empty)).toEqual(empty);
    for (const f of ['We ran. It rained!', 'Really?!']) expect(withoutFinalStop(e(f)).gap).toBe(measureGap(withoutFinalStop(e(f)).text));
  });
});

describe('the prose recipes', () => {
  it('train each cell in one stage into runs/ on the same packed, answer-weighted episodes, keep states by the prose score and size the three cells alike', async () => {
    const params: number[] = [];
    const shared: unknown[] = [];
    for (const cell of ['lstm', 'gru', 'rnn']) {
      const r = await readRecipe(path.join(ROOT, `configs/long-dep-prose-${cell}.json`));
      expect(r.generate).toEqual({ corpus: 'long-dependency-prose-large', books: LONG_DEPENDENCY_PROSE.books });
      expect(r.data).toEqual([path.join(ROOT, LONG_DEPENDENCY_PROSE.largeFile)]);
      expect(r.init).toBeUndefined();
      expect(r.selectBy).toBe('long-dependency-prose-accuracy');
      expect(path.relative(ROOT, r.out!)).toBe(`runs/long-dep-prose-${cell}.safetensors`);
      // The books of the recipes are never the held-out ones.
      expect(r.fetch!.filter((n) => HELD_OUT_BOOKS.some((b) => b.ebook === n))).toEqual([]);
      const c = resolveTrainConfig(r.options, {});
      expect(c.cell).toBe(cell);
      expect(c).toMatchObject({ packLines: true, unwrap: false, answerCue: 'I speak fluent ' });
      // Every episode fits a window: the longest gap and the longest intro and question.
      expect(c.seqLength).toBeGreaterThanOrEqual(LONG_DEPENDENCY_PROSE.maxGap + 'I grew up in the Netherlands.'.length + 'I speak fluent Vietnamese.'.length + 3);
      const { cell: _, hiddenSize: __, lr: ___, seed: ____, ...same } = c;
      shared.push(same);
      params.push(new RnnModel({ cell: c.cell, layers: c.layers, hiddenSize: c.hiddenSize, embeddingSize: c.embeddingSize, vocabSize: 77, dropout: 0, tieWeights: false }, f32LoopBackend).paramCount);
    }
    expect(shared[1]).toEqual(shared[0]);
    expect(shared[2]).toEqual(shared[0]);
    expect(Math.max(...params) / Math.min(...params)).toBeLessThan(1.02);
  });
});
