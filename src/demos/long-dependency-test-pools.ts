// The prose pools the long-dependency evaluation draws its filler from, none of it trained on: the project's own
// stories and the held-out books (test sets), and the sentences of the small prose corpus read back for the
// selection score (training filler only).
import { existsSync } from 'node:fs';
import { expandCorpusPaths, readTextFile } from '../corpus/files.ts';
import { QUESTION, readProjectStories } from './long-dependency-corpus.ts';
import { isHeldOutBook, proseSentences, prosePool, type ProsePool } from './long-dependency-prose.ts';


/** The project's own stories (never trained on): the unseen-prose test set every machine has. */
export function storiesPool(root: string): ProsePool {
  return prosePool(readProjectStories(root));
}

/** The held-out books found under `paths` (files or folders), or null when none is there. */
export async function heldOutBooksPool(paths: readonly string[]): Promise<{ pool: ProsePool; files: string[] } | null> {
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) return null;
  const files = (await expandCorpusPaths([...present])).filter(isHeldOutBook);
  if (files.length === 0) return null;
  const texts: string[] = [];
  for (const f of files) texts.push(await readTextFile(f));
  return { pool: prosePool(texts), files };
}

/**
 * Training sentences for the selection score, read back from the small prose corpus (prose-train.txt) itself
 * (so the score can only ever see training filler): every episode's filler, split into sentences, in corpus order.
 */
export function selectionPoolFromCorpus(corpusText: string): ProsePool {
  const sentences: Array<string | null> = [];
  for (const line of corpusText.split('\n')) {
    const a = line.indexOf('.') + 1;
    const b = line.lastIndexOf(QUESTION);
    if (a <= 0 || b <= a) continue;
    for (const s of proseSentences(line.slice(a, b))) sentences.push(s);
    sentences.push(null);
  }
  return { sentences, starts: [0] };
}
