// Held-out scores a recipe can keep its best state by ("selectBy" / --select-by), in place of the
// validation loss. They are the demos' tasks, so they live here; a training worker imports this module by
// the URL its job names (SELECTORS_MODULE), so the training layer never imports the demos.
import { UserError } from '../errors.ts';
import type { TrainSelect } from '../training/train-options.ts';
import { moduleUrl } from '../worker-url.ts';
import { proseSelectionScorer, selectionScorer } from './long-dependency.ts';

/** This module, as a training job names it (the .ts source or its built .js sibling). */
export const SELECTORS_MODULE = moduleUrl('./selectors.ts', import.meta.url).href;

const SELECTORS: Record<string, (root: string) => TrainSelect> = {
  'long-dependency-accuracy': (root) => ({ name: 'long-dependency accuracy', score: selectionScorer(root) }),
  // Episodes of training prose (the small prose corpus's sentences) in new combinations.
  'long-dependency-prose-accuracy': (root) => ({ name: 'long-dependency prose accuracy', score: proseSelectionScorer(root) }),
};

export function resolveSelector(name: unknown, root: string): TrainSelect {
  const make = typeof name === 'string' ? SELECTORS[name] : undefined;
  if (!make) throw new UserError(`unknown selection score ${JSON.stringify(name)} (known: ${Object.keys(SELECTORS).join(', ')})`);
  return make(root);
}
