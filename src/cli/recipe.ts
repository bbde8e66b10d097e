// A training recipe (configs/*.json): training options plus the keys that are not options. Paths in it are
// relative to the project root, the recipe folder's parent; read here they come back absolute.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

export interface Recipe {
  file: string;
  /** The project root the recipe's paths are relative to. */
  root: string;
  /** Training options (TrainConfig keys), to be resolved with the command line's. */
  options: Record<string, unknown>;
  data?: string[];
  out?: string;
  name?: string;
  /** Project Gutenberg books the recipe's corpora/gutenberg folder holds. */
  fetch?: number[];
  /** A corpus built from code that the recipe's data holds (see generated-corpora.ts). */
  generate?: string | { corpus: string; books?: string[] };
  /** The recipe's spellings of --init and --select-by. */
  init?: string;
  selectBy?: string;
}

export async function readRecipe(file: string): Promise<Recipe> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a recipe' : code ? `cannot read (${code})` : `not valid JSON (${(e as Error).message})`}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserError(`${file}: a recipe is a JSON object of options (see configs/)`);
  const { data, out, name, fetch, generate, init, selectBy, ...options } = json as Omit<Recipe, 'file' | 'root' | 'options'>;
  // The keys that are not training options, checked here: each is used as a path, a name or a list.
  const bad = (key: string, what: string) => new UserError(`${file}: "${key}" must be ${what}`);
  const isText = (v: unknown) => typeof v === 'string' && v !== '';
  if (data !== undefined && !(Array.isArray(data) && data.every(isText))) throw bad('data', 'a list of files or folders, e.g. ["corpora/stories"]');
  for (const [key, v] of Object.entries({ out, name, init, selectBy })) if (v !== undefined && !isText(v)) throw bad(key, 'a non-empty string');
  if (fetch !== undefined && !(Array.isArray(fetch) && fetch.every((n) => Number.isSafeInteger(n) && n > 0))) throw bad('fetch', 'a list of Project Gutenberg ebook numbers');
  const g = generate as unknown;
  if (g !== undefined && !isText(g) && !(typeof g === 'object' && g !== null && isText((g as { corpus?: unknown }).corpus) && ((g as { books?: unknown }).books === undefined || (Array.isArray((g as { books?: unknown }).books) && ((g as { books: unknown[] }).books).every(isText))))) {
    throw bad('generate', 'a corpus name, or { "corpus": NAME, "books": [files] }');
  }
  const root = path.resolve(path.dirname(path.resolve(file)), '..');
  const at = (p: string) => path.resolve(root, p);
  return { file, root, options, data: data?.map(at), out: out && at(out), name, fetch, generate, init: init && at(init), selectBy };
}
