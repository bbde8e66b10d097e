// Corpora that are built from code rather than committed: a recipe names one with "generate" and the
// train command writes it (deterministically, in about a second) before reading the data.
import path from 'node:path';
import { ensureLargeLongDependencyCorpus } from '../demos/long-dependency-corpus.ts';
import { UserError } from '../errors.ts';

const GENERATORS: Record<string, (root: string) => Promise<{ file: string; written: boolean }>> = {
  'long-dependency-large': ensureLargeLongDependencyCorpus,
};

/** Writes the corpus a recipe's "generate" names under the project root; says so on stderr when it did. */
export async function ensureGeneratedCorpus(name: unknown, root: string, recipeFile: string): Promise<void> {
  const make = typeof name === 'string' ? GENERATORS[name] : undefined;
  if (!make) throw new UserError(`${recipeFile}: unknown "generate" corpus ${JSON.stringify(name)} (known: ${Object.keys(GENERATORS).join(', ')})`);
  const { file, written } = await make(root);
  if (written) process.stderr.write(`wrote ${path.relative(process.cwd(), file) || file} (the generated "${name}" corpus)\n`);
}
