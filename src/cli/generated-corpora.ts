// Corpora that are built from code rather than committed: a recipe names one with "generate" and the
// train command writes it (deterministically) before reading the data. "generate" is a name, or
// {"corpus": NAME, "books": [paths]} for the corpora whose filler comes from books the user has.
import path from 'node:path';
import { ensureLargeLongDependencyCorpus } from '../demos/long-dependency-corpus.ts';
import { ensureProseCorpus, LONG_DEPENDENCY_PROSE } from '../demos/long-dependency-prose.ts';
import { UserError } from '../errors.ts';

type Generator = (root: string, books: readonly string[]) => Promise<{ file: string; written: boolean; note?: string }>;

const GENERATORS: Record<string, Generator> = {
  'long-dependency-large': (root) => ensureLargeLongDependencyCorpus(root),
  'long-dependency-prose': (root, books) => ensureProseCorpus(root, 'train', books),
  'long-dependency-prose-large': (root, books) => ensureProseCorpus(root, 'large', books),
};

/**
 * Writes the corpus a recipe's "generate" names under the project root; says so on stderr when it did.
 * `books` (the train command's --books) replaces the recipe's book paths; recipe paths are relative to the
 * project root, --books to the working directory.
 */
export async function ensureGeneratedCorpus(spec: unknown, root: string, recipeFile: string, books?: readonly string[]): Promise<void> {
  const name = typeof spec === 'object' && spec !== null ? (spec as { corpus?: unknown }).corpus : spec;
  const recipeBooks = typeof spec === 'object' && spec !== null ? (spec as { books?: unknown }).books : undefined;
  if (recipeBooks !== undefined && !(Array.isArray(recipeBooks) && recipeBooks.every((b) => typeof b === 'string'))) {
    throw new UserError(`${recipeFile}: "generate".books must be a list of paths (got ${JSON.stringify(recipeBooks)})`);
  }
  const make = typeof name === 'string' ? GENERATORS[name] : undefined;
  if (!make) throw new UserError(`${recipeFile}: unknown "generate" corpus ${JSON.stringify(name)} (known: ${Object.keys(GENERATORS).join(', ')})`);
  const paths = books?.map((b) => path.resolve(b)) ?? (recipeBooks as string[] | undefined)?.map((b) => path.resolve(root, b)) ?? LONG_DEPENDENCY_PROSE.books.map((b) => path.resolve(root, b));
  const { file, written, note } = await make(root, paths);
  if (written) process.stderr.write(`wrote ${path.relative(process.cwd(), file) || file} (the generated "${name}" corpus${note ? `: ${note}` : ''})\n`);
}
