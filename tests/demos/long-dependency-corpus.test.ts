import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildLongDependencyCorpus,
  COUNTRY_LANGUAGE,
  ensureLargeLongDependencyCorpus,
  fillerSentences,
  fillerSplitOf,
  generateEpisodes,
  LONG_DEPENDENCY_CORPUS,
  LONG_DEPENDENCY_LARGE,
  loadFillerPool,
} from '../../src/demos/long-dependency-corpus.ts';
import { measureGap } from './measure-gap.ts';
import { scratchDir } from '../support/scratch.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const train = loadFillerPool(ROOT, 'early-reader', 'train');
const test = loadFillerPool(ROOT, 'early-reader', 'test');

describe('long-dependency corpus', () => {
  it('has at least 20 country → language pairs with distinct languages', () => {
    expect(COUNTRY_LANGUAGE.length).toBeGreaterThanOrEqual(20);
    expect(new Set(COUNTRY_LANGUAGE.map(([, l]) => l)).size).toBe(COUNTRY_LANGUAGE.length);
    expect(new Set(COUNTRY_LANGUAGE.map(([c]) => c)).size).toBe(COUNTRY_LANGUAGE.length);
  });

  it('keeps train and test filler sentences disjoint', () => {
    expect(train.length).toBeGreaterThan(100);
    expect(test.length).toBeGreaterThan(50);
    const t = new Set(train);
    expect(test.filter((s) => t.has(s))).toEqual([]);
    expect(test.every((s) => fillerSplitOf(s) === 'test')).toBe(true);
  });

  it('drops filler that names a country or language, or is the tail of a quotation', () => {
    const got = fillerSentences(['Jane saw Spot. Mother speaks French. "Oh, oh!" said Doug. We went to Spain! Doug ran.']);
    expect(got).toEqual(['"Oh, oh!"', 'Doug ran.', 'Jane saw Spot.']);
  });

  it('writes "I grew up in X." then filler then "I speak fluent Y." with Y the language of X', () => {
    const pairs = new Map(COUNTRY_LANGUAGE);
    for (const e of generateEpisodes(50, 'shape', { fillers: train, minGap: 10, maxGap: 300 })) {
      const m = /^I grew up in ([^.]+)\. .* ?I speak fluent ([A-Za-z]+)\.$/.exec(e.text);
      expect(m, e.text).not.toBeNull();
      expect(m![1]).toBe(e.country);
      expect(m![2]).toBe(e.language);
      expect(pairs.get(e.country)).toBe(e.language);
    }
  });

  it('reports the gap as the characters between the intro and the question', () => {
    for (const e of generateEpisodes(40, 'gaps', { fillers: train, minGap: 10, maxGap: 360 })) expect(e.gap).toBe(measureGap(e.text));
  });

  it('spans gaps from about 10 to at least 300 characters', () => {
    const gaps = generateEpisodes(400, 'span', { fillers: train, minGap: 10, maxGap: 360 }).map((e) => e.gap);
    expect(Math.min(...gaps)).toBeLessThanOrEqual(15);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(300);
  });

  it('draws log-uniform gaps with as many short episodes as long ones per octave', () => {
    const gaps = generateEpisodes(2000, 'log', { fillers: train, minGap: 10, maxGap: 360, gapDistribution: 'log-uniform' }).map((e) => e.gap);
    const short = gaps.filter((g) => g < 40).length;
    const long = gaps.filter((g) => g >= 160).length;
    expect(short).toBeGreaterThan(long);
    expect(long).toBeGreaterThan(200);
  });

  it('is deterministic for a seed', () => {
    const a = generateEpisodes(5, 'same', { fillers: train, minGap: 10, maxGap: 100 });
    const b = generateEpisodes(5, 'same', { fillers: train, minGap: 10, maxGap: 100 });
    expect(a).toEqual(b);
  });

  it('matches the committed corpora/long-dependency/train.txt', () => {
    const committed = readFileSync(path.join(ROOT, LONG_DEPENDENCY_CORPUS.file), 'utf8');
    expect(buildLongDependencyCorpus(ROOT)).toBe(committed);
  });

  it('writes the large corpus on demand: the committed episodes first, then new ones; rewritten only when the file differs', async () => {
    const root = scratchDir('ld-corpus');
    mkdirSync(path.join(root, 'corpora'));
    copyFileSync(path.join(ROOT, 'corpora/early-reader.txt'), path.join(root, 'corpora/early-reader.txt'));
    const first = await ensureLargeLongDependencyCorpus(root);
    expect(first).toEqual({ file: path.join(root, LONG_DEPENDENCY_LARGE.file), written: true });
    const text = readFileSync(first.file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(LONG_DEPENDENCY_LARGE.episodes);
    expect(text.startsWith(readFileSync(path.join(ROOT, LONG_DEPENDENCY_CORPUS.file), 'utf8'))).toBe(true);
    expect(await ensureLargeLongDependencyCorpus(root)).toMatchObject({ written: false });
    writeFileSync(first.file, text.slice(0, 1000));
    expect(await ensureLargeLongDependencyCorpus(root)).toMatchObject({ written: true });
    expect(readFileSync(first.file, 'utf8')).toBe(text);
  });

  it('builds training episodes from training fillers only', () => {
    const corpus = buildLongDependencyCorpus(ROOT, 30000);
    const testSet = new Set(test);
    const leaked = test.filter((s) => s.length > 25 && corpus.includes(` ${s} `));
    expect(testSet.size).toBeGreaterThan(0);
    expect(leaked).toEqual([]);
  });
});
