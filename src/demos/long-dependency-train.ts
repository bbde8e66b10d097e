// Reproduces the shipped long-dependency models: for each cell, stage 1 (configs/long-dep-CELL.json, on the
// committed 10,000 episodes) then stage 2 (configs/long-dep-CELL-tune.json, on the large generated corpus,
// keeping the state with the best held-out accuracy). Used by `storyteller demo long-dependency --train`.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureGeneratedCorpus } from '../cli/generated-corpora.ts';
import { readRecipe } from '../cli/recipe.ts';
import { resolveSelector } from './selectors.ts';
import { CELL_TYPES, type CellType } from '../engine/config.ts';
import { UserError } from '../errors.ts';
import { PROJECT_ROOT } from '../models.ts';
import { resolveTrainConfig } from '../training/config.ts';
import { train } from '../training/trainer.ts';

const recipeFile = (cell: CellType, stage: '' | '-tune') => path.join(PROJECT_ROOT, 'configs', `long-dep-${cell}${stage}.json`);

/** The cells with both recipes in configs/, in CELL_TYPES order: what --train trains when no cells are named. */
export function longDependencyRecipeCells(): CellType[] {
  return CELL_TYPES.filter((c) => existsSync(recipeFile(c, '')) && existsSync(recipeFile(c, '-tune')));
}

/** Cells named on the command line ("lstm,gru"), checked against CELL_TYPES and the recipes in configs/. */
export function parseCellList(list: string): CellType[] {
  const cells = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (cells.length === 0) throw new UserError('--cells: name at least one cell');
  for (const c of cells) {
    if (!(CELL_TYPES as readonly string[]).includes(c)) throw new UserError(`--cells: unknown cell "${c}" (cells: ${CELL_TYPES.join(', ')})`);
    if (!existsSync(recipeFile(c as CellType, ''))) throw new UserError(`--cells: no recipe configs/long-dep-${c}.json`);
  }
  return cells as CellType[];
}

export type TrainProgress = (line: string) => void;

/** Runs one recipe into `file`, starting from `init` when given; progress lines go to `note`. */
async function trainRecipe(file: string, out: string, over: Record<string, unknown>, init: string | undefined, force: boolean, note: TrainProgress): Promise<void> {
  const recipe = await readRecipe(file);
  if (recipe.generate !== undefined) await ensureGeneratedCorpus(recipe.generate, recipe.root, file);
  const config = resolveTrainConfig(recipe.options, over);
  const select = recipe.selectBy !== undefined ? resolveSelector(recipe.selectBy, PROJECT_ROOT) : undefined;
  await fs.mkdir(path.dirname(out), { recursive: true });
  note(`training ${recipe.name} with ${path.basename(file)}${init ? ` from ${path.basename(init)}` : ''} → ${out}`);
  for await (const ev of train({ config, data: recipe.data ?? [], out, name: recipe.name, init, select, force, inputs: [file] })) {
    if (ev.type === 'eval') {
      const score = ev.score ? `, ${ev.score.name} ${(ev.score.value * 100).toFixed(1)}%` : '';
      note(`  step ${ev.step}: validation loss ${ev.valLoss.toFixed(4)}${score}${ev.improved ? ' *best' : ''}`);
    }
    if (ev.type === 'done') note(`  done at step ${ev.step} (${ev.reason}) in ${ev.elapsedSec.toFixed(0)} s`);
  }
}

export interface TrainLongDependencyOptions {
  /** Where the models go: DIR/long-dep-CELL-stage1.safetensors and DIR/long-dep-CELL.safetensors. */
  dir: string;
  cells: readonly CellType[];
  /** Time budget of stage 1 per model. */
  maxMinutes: number;
  /** Steps of stage 2 (default: the -tune recipe's). */
  tuneSteps?: number;
  /** Train over files an earlier run left in `dir`. */
  force: boolean;
  note: TrainProgress;
}

/** Both stages for each cell, one after the other; returns the stage-2 files in `cells` order. */
export async function trainLongDependencyModels(o: TrainLongDependencyOptions): Promise<string[]> {
  const outs: string[] = [];
  for (const cell of o.cells) {
    const first = path.resolve(o.dir, `long-dep-${cell}-stage1.safetensors`);
    await trainRecipe(recipeFile(cell, ''), first, { maxMinutes: o.maxMinutes }, undefined, o.force, o.note);
    // The tuning recipe names which stage-1 file it starts from (the last state or the kept one).
    const tune = recipeFile(cell, '-tune');
    const { init } = await readRecipe(tune);
    const file = path.resolve(o.dir, `long-dep-${cell}.safetensors`);
    await trainRecipe(tune, file, o.tuneSteps ? { maxSteps: o.tuneSteps } : {}, path.join(path.dirname(first), path.basename(init ?? first)), o.force, o.note);
    outs.push(file);
  }
  return outs;
}
