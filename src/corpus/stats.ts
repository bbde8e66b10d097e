// Size figures for corpus files: how much text there is, and how big a character vocabulary a
// char-level model trained on it will need (distinct characters).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

export interface TextStats {
  /** UTF-8 size. */
  bytes: number;
  /** Unicode code points (an emoji is 1, not 2 UTF-16 units). */
  characters: number;
  /** Distinct code points, newline and space included. */
  distinctCharacters: number;
  /** Whitespace-separated tokens, as `wc -w` counts them. */
  words: number;
  /** Lines, counting a last line without its newline; the empty text has 0. */
  lines: number;
}

export interface FileStats extends TextStats {
  file: string;
}

export interface CorpusStats {
  files: FileStats[];
  /** Sums over all files; distinctCharacters is that of the union, not a sum. */
  total: TextStats;
}

function distinct(text: string): Set<string> {
  return new Set(Array.from(text));
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

export function textStats(text: string): TextStats {
  return {
    bytes: Buffer.byteLength(text, 'utf8'),
    characters: Array.from(text).length,
    distinctCharacters: distinct(text).size,
    words: text.match(/\S+/gu)?.length ?? 0,
    lines: countLines(text),
  };
}

/** Files named on the command line, with each folder replaced by its .txt files (sorted, not recursive). */
export async function expandCorpusPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new UserError(`no such file or folder: ${path}`);
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const txt = entries
        .filter((e) => e.isFile() && e.name.endsWith('.txt'))
        .map((e) => join(path, e.name))
        .sort();
      if (txt.length === 0) throw new UserError(`${path} has no .txt files`);
      files.push(...txt);
    } else {
      files.push(path);
    }
  }
  return files;
}

export async function corpusStats(paths: string[]): Promise<CorpusStats> {
  if (paths.length === 0) throw new UserError('name at least one corpus file or folder');
  const files: FileStats[] = [];
  const allCharacters = new Set<string>();
  for (const file of await expandCorpusPaths(paths)) {
    const text = await readFile(file, 'utf8');
    for (const ch of distinct(text)) allCharacters.add(ch);
    files.push({ file, ...textStats(text) });
  }
  const sum = (key: 'bytes' | 'characters' | 'words' | 'lines'): number => files.reduce((s, f) => s + f[key], 0);
  return {
    files,
    total: {
      bytes: sum('bytes'),
      characters: sum('characters'),
      distinctCharacters: allCharacters.size,
      words: sum('words'),
      lines: sum('lines'),
    },
  };
}

const COLUMNS = ['bytes', 'characters', 'distinctCharacters', 'words', 'lines'] as const;
const HEADINGS = ['bytes', 'chars', 'distinct', 'words', 'lines'];

/** A plain aligned table, one row per file and a total row. */
export function formatStatsTable(stats: CorpusStats): string {
  const rows = [
    ['file', ...HEADINGS],
    ...stats.files.map((f) => [f.file, ...COLUMNS.map((c) => String(f[c]))]),
    ['total', ...COLUMNS.map((c) => String(stats.total[c]))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}
