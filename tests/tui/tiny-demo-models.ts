// Tiny stand-ins for the shipped long-dependency models: the real recipes (configs/long-dep-*.json) cut to
// a few steps and a few units, so a test can run the demos "when the models exist" in seconds.
import { join } from 'node:path';
import { storyteller } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';

/** Trains long-dep-{cells} into a new temporary folder and returns the folder. */
export function trainTinyLongDependencyModels(cells: string[] = ['lstm', 'rnn']): string {
  const dir = scratchDir('tiny-long-dep');
  for (const cell of cells) {
    const r = storyteller([
      'train', '--config', `configs/long-dep-${cell}.json`, '--out', join(dir, `long-dep-${cell}.safetensors`),
      '--max-steps', '3', '--hidden-size', '6', '--embedding-size', '4', '--batch-size', '2', '--seq-length', '16', '--eval-every', '3', '--json',
    ]);
    if (r.code !== 0) throw new Error(`training a tiny long-dep-${cell} failed: ${r.stderr}`);
  }
  return dir;
}
