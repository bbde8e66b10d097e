// Corpus files as training, eval and `corpus stats` read them: a folder means every .txt file under it
// (subfolders too, hidden ones skipped), and a file must be UTF-8 text: a binary file or one in another
// encoding would otherwise teach the model NUL bytes, control characters and U+FFFD.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

/** Files named on the command line, each folder replaced by the .txt files under it (sorted by path). */
export async function expandCorpusPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new UserError(`${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const txt = await textFilesUnder(path);
      if (txt.length === 0) throw new UserError(`${path}: the folder has no .txt files (in it or its subfolders)`);
      files.push(...txt);
    } else {
      files.push(path);
    }
  }
  return files;
}

async function textFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await textFilesUnder(p)));
    else if (e.name.endsWith('.txt') && (e.isFile() || (e.isSymbolicLink() && (await stat(p).catch(() => null))?.isFile()))) out.push(p);
  }
  return out;
}

export interface TextProblems {
  /** Byte sequences that are not UTF-8 (each became U+FFFD). */
  invalid: number;
  /** NUL bytes. */
  nul: number;
  /** Other control characters: C0 except tab, newline, carriage return and form feed; DEL; C1. */
  control: number;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g;

/** Counts what makes bytes unfit as text; all zero for clean UTF-8 text. */
export function textProblems(bytes: Uint8Array, text: string): TextProblems {
  let replacement = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) replacement++;
  // A U+FFFD written in the file itself (EF BF BD) is text, not a decoding failure.
  let literal = 0;
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) literal++;
  let nul = 0;
  for (const b of bytes) if (b === 0) nul++;
  return { invalid: replacement - literal, nul, control: text.match(CONTROL)?.length ?? 0 };
}

/** "1 NUL byte", "39,187 NUL bytes". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** Reads a corpus file as UTF-8 text, refusing binary files and other encodings with the counts found. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : `cannot read (${code})`}`);
  }
  const text = bytes.toString('utf8');
  const p = textProblems(bytes, text);
  if (p.nul > 0) throw new UserError(`${file}: not a text file (${countOf(p.nul, 'NUL byte')}, ${countOf(p.invalid, 'invalid UTF-8 sequence')}); training data must be UTF-8 text`);
  if (p.invalid > 0) {
    throw new UserError(`${file}: not UTF-8 (${countOf(p.invalid, 'invalid byte sequence')}); convert it first, e.g. iconv -f latin1 -t utf-8 ${file} > ${file.replace(/(\.txt)?$/, '.utf8.txt')}`);
  }
  if (p.control > 0) throw new UserError(`${file}: has ${countOf(p.control, 'control character')} (such as terminal escape codes), which a story model should not learn; remove them first`);
  return text;
}
