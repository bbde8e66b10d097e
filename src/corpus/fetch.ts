// Downloads a Project Gutenberg ebook as plain text, cleans it (gutenberg-clean.ts) and files it
// under corpora/gutenberg/ with a row in SOURCES.md, so every fetched corpus keeps its provenance.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkWritableFile, writeFileAtomic } from '../atomic-write.ts';
import { UserError } from '../errors.ts';
import { countOf, textProblems } from './files.ts';
import { cleanGutenberg } from './gutenberg-clean.ts';

export const DEFAULT_GUTENBERG_BASE_URL = 'https://www.gutenberg.org';
export const DEFAULT_GUTENBERG_DIR = 'corpora/gutenberg';
/** Whole request, body included: a large book over a slow line still fits, a hung server does not hang us. */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

export interface FetchBookOptions {
  /** Where the text and SOURCES.md go; default corpora/gutenberg (relative to the working directory). */
  outDir?: string;
  /** Mirror or test server; default env GUTENBERG_BASE_URL, else https://www.gutenberg.org. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Date written to SOURCES.md; tests pin it. */
  now?: Date;
}

export interface FetchedBook {
  ebook: number;
  title: string;
  /** Path of the saved text. */
  file: string;
  /** Size of the saved (cleaned) text in bytes. */
  bytes: number;
  url: string;
}

/** Accepts "11" or "  11 "; rejects anything that is not a positive whole number. */
export function parseEbookNumber(id: string): number {
  const trimmed = id.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) === 0) {
    throw new UserError(`'${id}' is not a Project Gutenberg ebook number; give digits only, e.g. 11 for Alice in Wonderland`);
  }
  return Number(trimmed);
}

export function ebookUrl(ebook: number, baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/cache/epub/${ebook}/pg${ebook}.txt`;
}

/** File-name form of a title: "Alice's Adventures in Wonderland" -> "alices-adventures-in-wonderland". */
export function slugify(title: string, maxLength = 60): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, maxLength).replace(/-+$/, '');
  return cut || 'untitled';
}

/** The low-level reason fetch failed (ECONNREFUSED, ENOTFOUND, ...), for the error message. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

async function download(url: string, ebook: number, timeoutMs: number): Promise<string> {
  const host = new URL(url).host;
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { redirect: 'follow', signal });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new UserError(`${host} did not answer within ${timeoutMs / 1000}s; try again later`);
    }
    throw new UserError(`could not reach ${host} (${networkReason(error)}); check your connection`);
  }
  if (response.status === 404) {
    throw new UserError(`ebook ${ebook} not found on ${host}; check the number at https://www.gutenberg.org/ebooks/${ebook}`);
  }
  if (!response.ok) {
    throw new UserError(`${host} answered HTTP ${response.status} for ebook ${ebook}; try again later`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new UserError(`${host} stopped sending ebook ${ebook} (no end after ${timeoutMs / 1000}s); try again later`);
    }
    throw new UserError(`the download of ebook ${ebook} from ${host} broke off (${networkReason(error)}); try again`);
  }
  // What training would refuse is refused here, before a file is written: a binary answer or another encoding.
  const text = new TextDecoder('utf-8').decode(bytes);
  const p = textProblems(bytes, text);
  if (p.nul || p.invalid || p.control) {
    const found = [p.nul && countOf(p.nul, 'NUL byte'), p.invalid && countOf(p.invalid, 'invalid UTF-8 sequence'), p.control && countOf(p.control, 'control character')].filter(Boolean).join(', ');
    throw new UserError(`${host} sent ebook ${ebook} as something other than UTF-8 text (${found}); nothing was saved`);
  }
  return text;
}

export interface SourceRow {
  ebook: number;
  title: string;
  file: string;
  bytes: number;
  date: string;
}

const SOURCES_HEADER = `# Project Gutenberg sources

Fetched with \`storyteller corpus fetch <ebook-number>\` from Project Gutenberg (https://www.gutenberg.org),
then cleaned: licence header and footer, producer credits and byte-order mark removed, line endings
\`\\n\`, Unicode NFC. Project Gutenberg texts are public domain in the USA; check your local law before
redistributing them. Bytes are those of the cleaned file.

| Ebook | Title | File | Bytes | Fetched |
|---:|---|---|---:|---|
`;

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const unescapeCell = (s: string): string => s.replace(/\\\|/g, '|');

export function parseSources(markdown: string): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const line of markdown.split('\n')) {
    if (!/^\|\s*\d+\s*\|/.test(line)) continue;
    const cells = line
      .replace(/^\||\|\s*$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => unescapeCell(c.trim()));
    if (cells.length < 5) continue;
    rows.push({ ebook: Number(cells[0]), title: cells[1]!, file: cells[2]!, bytes: Number(cells[3]), date: cells[4]! });
  }
  return rows;
}

export function formatSources(rows: SourceRow[]): string {
  const sorted = [...rows].sort((a, b) => a.ebook - b.ebook);
  const lines = sorted.map(
    (r) => `| ${r.ebook} | ${escapeCell(r.title)} | ${escapeCell(r.file)} | ${r.bytes} | ${r.date} |`,
  );
  return SOURCES_HEADER + lines.map((l) => `${l}\n`).join('');
}

/** Adds or replaces the row for `row.ebook` in outDir/SOURCES.md. */
async function recordSource(outDir: string, row: SourceRow): Promise<void> {
  const sourcesFile = join(outDir, 'SOURCES.md');
  let existing: SourceRow[] = [];
  try {
    existing = parseSources(await readFile(sourcesFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const rows = existing.filter((r) => r.ebook !== row.ebook).concat(row);
  await writeFileAtomic(sourcesFile, formatSources(rows));
}

/** Downloads, cleans and saves one ebook; throws UserError with a one-line reason on failure. */
export async function fetchGutenbergBook(id: string | number, options: FetchBookOptions = {}): Promise<FetchedBook> {
  const ebook = parseEbookNumber(String(id));
  const baseUrl = options.baseUrl ?? process.env.GUTENBERG_BASE_URL ?? DEFAULT_GUTENBERG_BASE_URL;
  try {
    new URL(baseUrl);
  } catch {
    throw new UserError(`'${baseUrl}' is not a valid base URL; expected something like https://www.gutenberg.org`);
  }
  const outDir = options.outDir ?? DEFAULT_GUTENBERG_DIR;
  const url = ebookUrl(ebook, baseUrl);
  // A folder that cannot be written is found before the download, not after it.
  await checkWritableFile(join(outDir, 'SOURCES.md'), '--out');

  const raw = await download(url, ebook, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const { title, text } = cleanGutenberg(raw);
  if (text.length === 0) throw new UserError(`ebook ${ebook} from ${url} has no text after removing the Gutenberg header and footer`);

  const file = join(outDir, `${ebook}-${slugify(title || `ebook ${ebook}`)}.txt`);
  const content = `${text}\n`;
  await writeFileAtomic(file, content);
  const bytes = Buffer.byteLength(content);
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  await recordSource(outDir, { ebook, title: title || `ebook ${ebook}`, file: basename(file), bytes, date });
  return { ebook, title, file, bytes, url };
}
