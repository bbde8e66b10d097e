// Small untrained char models of any cell type that know every character of the episodes, for the tests of
// the cell comparison: seeded, so the same weights every run, and written to a folder when a test needs files.
import path from 'node:path';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import type { CellType } from '../../src/engine/config.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { COUNTRY_LANGUAGE, INTRO, loadFillerPool, OUTRO } from '../../src/demos/long-dependency-corpus.ts';
import { storiesPool } from '../../src/demos/long-dependency-test-pools.ts';
import type { LoadedModel } from '../../src/generation/generator.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every character an episode, a test filler or a story sentence can hold, and the newline. */
export function episodeTokenizer(): CharTokenizer {
  const stories = storiesPool(ROOT).sentences.filter((s): s is string => s !== null);
  const text = [...COUNTRY_LANGUAGE.flatMap(([c, l]) => [INTRO(c), OUTRO(l)]), ...loadFillerPool(ROOT, 'early-reader', 'test'), ...stories].join('\n');
  return CharTokenizer.fromText(text + '\n');
}

export function untrainedModel(cell: CellType, tokenizer: CharTokenizer, hiddenSize = 16): LoadedModel {
  const model = new RnnModel({ cell, layers: 1, hiddenSize, embeddingSize: 8, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f32LoopBackend);
  model.params.init(new Rng(`variant-models/${cell}`));
  return { name: `long-dep-${cell}`, path: '', model, tokenizer, card: {} };
}

/** Writes DIR/long-dep-CELL.safetensors for each cell; returns the paths in `cells` order. */
export async function writeUntrainedModels(dir: string, cells: readonly CellType[]): Promise<string[]> {
  const tokenizer = episodeTokenizer();
  const files: string[] = [];
  for (const cell of cells) {
    const lm = untrainedModel(cell, tokenizer);
    const file = path.join(dir, `long-dep-${cell}.safetensors`);
    await saveCheckpoint(file, { model: lm.model, tokenizer, card: {} });
    files.push(file);
  }
  return files;
}
