import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EARLY_READER_CORPUS, generateEarlyReader } from '../../src/corpus/early-reader.ts';
import { sawSelfReport } from '../../src/corpus/saw-check.ts';

const paragraphsOf = (text: string): string[][] =>
  text
    .trimEnd()
    .split('\n\n')
    .map((p) => p.split('\n'));

describe('generateEarlyReader', () => {
  it('is deterministic for a seed', () => {
    const a = generateEarlyReader({ sentences: 200, seed: 'same' });
    const b = generateEarlyReader({ sentences: 200, seed: 'same' });
    expect(a).toBe(b);
  });

  it('gives different text for different seeds', () => {
    const a = generateEarlyReader({ sentences: 200, seed: 'one' });
    const b = generateEarlyReader({ sentences: 200, seed: 'two' });
    expect(a).not.toBe(b);
  });

  it('writes exactly the requested number of sentence lines', () => {
    for (const sentences of [1, 3, 8, 57, 500]) {
      const text = generateEarlyReader({ sentences, seed: `count-${sentences}` });
      expect(text.split('\n').filter((line) => line !== '')).toHaveLength(sentences);
    }
  });

  it('returns an empty string for zero sentences', () => {
    expect(generateEarlyReader({ sentences: 0, seed: 'x' })).toBe('');
  });

  it('rejects a negative or fractional sentence count', () => {
    expect(() => generateEarlyReader({ sentences: -1, seed: 'x' })).toThrow(RangeError);
    expect(() => generateEarlyReader({ sentences: 2.5, seed: 'x' })).toThrow(RangeError);
  });

  it('groups sentences into paragraphs of 3 to 7 separated by single blank lines', () => {
    const text = generateEarlyReader({ sentences: 1000, seed: 'paragraphs' });
    expect(text).not.toMatch(/\n\n\n/);
    expect(text.endsWith('\n')).toBe(true);
    const sizes = paragraphsOf(text).map((p) => p.length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(new Set(sizes).size).toBeGreaterThan(3);
  });

  it('never has anyone see themselves, over many seeds', () => {
    for (let i = 0; i < 20; i++) {
      const text = generateEarlyReader({ sentences: 500, seed: `self-${i}` });
      const report = sawSelfReport(text);
      expect(report.sawSentences).toBeGreaterThan(30);
      expect(report.selfSaw, report.examples.join(' | ')).toBe(0);
    }
  });

  it('never has a speaker address themselves or see themselves in dialogue', () => {
    const text = generateEarlyReader({ sentences: 3000, seed: 'dialogue' });
    for (const line of text.split('\n')) {
      const spoken = /^"(?:Look|Oh|I see|\w+), (\w+)[,!]?.*" said (\w+)\./.exec(line);
      if (spoken) expect(spoken[1], line).not.toBe(spoken[2]);
      const said = /^(\w+) said, "I saw (\w+)\."$/.exec(line);
      if (said) expect(said[1], line).not.toBe(said[2]);
    }
  });

  it('uses the whole cast, quoted dialogue and the classic refrains', () => {
    const text = generateEarlyReader({ sentences: 2000, seed: 'variety' });
    for (const name of ['Doug', 'Jane', 'Spot', 'Sally', 'Mother', 'Father', 'Puff']) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/" said (Doug|Jane|Sally|Mother|Father)\./);
    expect(text).toMatch(/^Run, \w+, run!$/m);
    expect(text).toMatch(/^See \w+ run\.$/m);
    expect(text).toMatch(/^Funny, funny \w+\.$/m);
    expect(text).toMatch(/^Oh, oh!$/m);
  });
});

describe('the committed corpora/early-reader.txt', () => {
  const file = resolve(import.meta.dirname, '../..', EARLY_READER_CORPUS.file);

  it('equals the generator output for its recorded seed and size', () => {
    const committed = readFileSync(file, 'utf8');
    expect(committed).toBe(
      generateEarlyReader({ sentences: EARLY_READER_CORPUS.sentences, seed: EARLY_READER_CORPUS.seed }),
    );
  });

  it('holds enough "X saw Y." sentences for a small model to learn that X and Y differ', () => {
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^\p{L}+ saw \p{L}+\.$/gmu)!.length).toBeGreaterThan(5000);
    expect(text.length).toBeLessThan(1_200_000);
  });
});
