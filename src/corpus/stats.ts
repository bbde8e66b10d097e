// Size figures for corpus files: how much text there is, and how big a character vocabulary a
// char-level model trained on it will need (distinct characters).
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { textTable } from '../format.ts';
import { countOf, expandCorpusPaths, textProblems, type TextProblems } from './files.ts';

export { expandCorpusPaths };

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

/** A file's figures; its `bytes` is the size on disk, which differs from the text's when it is not UTF-8. */
export interface FileStats extends TextStats {
  file: string;
  /** Why the file is unfit for training, when it is (training refuses it). */
  problems?: TextProblems;
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

export async function corpusStats(paths: string[]): Promise<CorpusStats> {
  if (paths.length === 0) throw new UserError('name at least one corpus file or folder');
  const files: FileStats[] = [];
  const allCharacters = new Set<string>();
  for (const file of await expandCorpusPaths(paths)) {
    const raw = await readFile(file);
    const text = raw.toString('utf8');
    const problems = textProblems(raw, text);
    for (const ch of distinct(text)) allCharacters.add(ch);
    files.push({ file, ...textStats(text), bytes: raw.length, ...(problems.invalid || problems.nul || problems.control ? { problems } : {}) });
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
  const notes = stats.files
    .filter((f) => f.problems)
    .map(({ file, problems: p }) => `note: ${file} is not clean UTF-8 text (${countOf(p!.invalid, 'invalid sequence')}, ${countOf(p!.nul, 'NUL byte')}, ${countOf(p!.control, 'control character')}); training refuses it`);
  return [textTable(rows), ...notes].join('\n');
}
