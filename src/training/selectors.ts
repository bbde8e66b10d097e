// Held-out scores a recipe can keep its best state by ("selectBy" / --select-by), in place of the
// validation loss.
import { proseSelectionScorer, selectionScorer } from '../demos/long-dependency.ts';
import { UserError } from '../errors.ts';
import type { TrainSelect } from './train-options.ts';

const SELECTORS: Record<string, (root: string) => TrainSelect> = {
  'long-dependency-accuracy': (root) => ({ name: 'long-dependency accuracy', score: selectionScorer(root) }),
  // Episodes of training prose (the stage-1 prose corpus's sentences) in new combinations.
  'long-dependency-prose-accuracy': (root) => ({ name: 'long-dependency prose accuracy', score: proseSelectionScorer(root) }),
};

export function resolveSelector(name: unknown, root: string): TrainSelect {
  const make = typeof name === 'string' ? SELECTORS[name] : undefined;
  if (!make) throw new UserError(`unknown selection score ${JSON.stringify(name)} (known: ${Object.keys(SELECTORS).join(', ')})`);
  return make(root);
}
