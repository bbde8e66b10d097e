import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { corpusStats, expandCorpusPaths, formatStatsTable, textStats } from '../../src/corpus/stats.ts';

describe('textStats', () => {
  it('counts bytes, code points, distinct characters, words and lines', () => {
    // 'é' is 2 bytes in UTF-8, the cat emoji 4 bytes and 2 UTF-16 units but one character.
    const text = 'Spot ran.\nCafé 🐈\n';
    expect(textStats(text)).toEqual({
      bytes: 9 + 1 + 5 + 1 + 4 + 1,
      characters: 17,
      distinctCharacters: new Set('Spot ran.\nCafé🐈'.match(/./gsu)).size,
      words: 4,
      lines: 2,
    });
  });

  it('counts a last line without a newline and gives the empty text zero lines', () => {
    expect(textStats('a\nb').lines).toBe(2);
    expect(textStats('a\n\nb\n').lines).toBe(3);
    expect(textStats('')).toEqual({ bytes: 0, characters: 0, distinctCharacters: 0, words: 0, lines: 0 });
  });

  it('counts words separated by any whitespace', () => {
    expect(textStats('  See\tSpot\n\nrun!  ').words).toBe(3);
  });
});

describe('corpusStats', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corpus-stats-'));
    writeFileSync(join(dir, 'b.txt'), 'See Spot.\n');
    writeFileSync(join(dir, 'a.txt'), 'Run, Jane!\nRun!\n');
    writeFileSync(join(dir, 'notes.md'), 'not a corpus');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.txt'), 'nested');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a folder as the .txt files in it and its subfolders, sorted, hidden folders skipped', async () => {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'x.txt'), 'not a story');
    expect(await expandCorpusPaths([dir])).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt'), join(dir, 'sub', 'c.txt')]);
  });

  it('reports the size on disk, and what makes a file unfit for training', async () => {
    const bad = join(dir, 'latin1.txt');
    writeFileSync(bad, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0x0a])); // "caf\xe9\0\n"
    const [f] = (await corpusStats([bad])).files;
    expect(f!.bytes).toBe(6);
    expect(f!.problems).toEqual({ invalid: 1, nul: 1, control: 0 });
    expect(formatStatsTable(await corpusStats([bad]))).toMatch(/note: .*latin1\.txt is not clean UTF-8 text \(1 invalid sequence, 1 NUL byte, 0 control characters\); training refuses it/);
  });

  it('sums sizes over files and takes distinct characters over their union', async () => {
    const stats = await corpusStats([join(dir, 'a.txt'), join(dir, 'b.txt')]);
    const a = textStats('Run, Jane!\nRun!\n');
    const b = textStats('See Spot.\n');
    expect(stats.files.map((f) => f.file)).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt')]);
    expect(stats.total).toEqual({
      bytes: a.bytes + b.bytes,
      characters: a.characters + b.characters,
      distinctCharacters: new Set('Run, Jane!\nRun!\nSee Spot.\n').size,
      words: a.words + b.words,
      lines: a.lines + b.lines,
    });
  });

  it('names a missing path in a UserError', async () => {
    await expect(corpusStats([join(dir, 'nope.txt')])).rejects.toThrow(UserError);
    await expect(corpusStats([join(dir, 'nope.txt')])).rejects.toThrow(/nope\.txt/);
  });

  it('rejects a folder with no .txt files', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(corpusStats([empty])).rejects.toThrow(/has no \.txt files/);
  });

  it('formats a table with a header, one row per file and a total row', async () => {
    const stats = await corpusStats([dir]);
    const lines = formatStatsTable(stats).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^file\s+bytes\s+chars\s+distinct\s+words\s+lines$/);
    expect(lines[4]!.split(/\s+/)).toEqual([
      'total',
      ...[stats.total.bytes, stats.total.characters, stats.total.distinctCharacters, stats.total.words, stats.total.lines].map(String),
    ]);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
