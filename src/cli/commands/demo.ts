// storyteller demo: the teaching demos. Each subcommand computes plain data with src/demos, prints it as
// a table (or JSON with --json) and, where there is something to see, writes pictures (SVG + PNG).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.ts';
import { COUNTRY_LANGUAGE, INTRO, loadFillerPool, QUESTION } from '../../demos/long-dependency-corpus.ts';
import { bucketEpisodes, findMemoryCells, GAP_BUCKETS, runLongDependencyEval, TEST_SET_TITLES, traceEpisode, type BucketResult, type TestSetName, type TestSetOptions } from '../../demos/long-dependency.ts';
import { HELD_OUT_BOOKS, heldOutBooksPool, LONG_DEPENDENCY_PROSE, storiesPool } from '../../demos/long-dependency-prose.ts';
import { CELL_TYPES, hasCellState } from '../../engine/config.ts';
import { arithmeticDemo, gradientByGap } from '../../demos/gradients.ts';
import { pricesDemo } from '../../demos/prices.ts';
import { dougJaneSpotDemo } from '../../demos/doug-jane-spot.ts';
import { formatArithmetic, formatBucketTable, formatDougJaneSpot, formatGapGradients, formatMemoryCells, formatPrices } from '../../demos/format.ts';
import type { LoadedModel } from '../../generation/generator.ts';
import { linePlot } from '../../render/line-plot.ts';
import { gateHeatmap } from '../../render/heatmap.ts';
import { writePicture } from '../../render/write-picture.ts';
import { resolveTrainConfig } from '../../training/config.ts';
import { train } from '../../training/trainer.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { ensureGeneratedCorpus } from '../generated-corpora.ts';
import { readRecipe } from '../recipe.ts';
import { resolveSelector } from '../../training/selectors.ts';
import { loadModel, PROJECT_ROOT, resolveModelPath } from '../../models.ts';

const USAGE = `usage: storyteller demo <name> [options]

demos:
  long-dependency   "I grew up in France … I speak fluent French": LSTM vs GRU vs RNN by gap
  gradients         vanishing and exploding gradients: 2^50 vs 0.5^50, and by gap on trained models
  prices            one LSTM unit predicts day 5 of two companies' share prices
  doug-jane-spot    the early-reader model: how often it writes "X saw X."

Run "storyteller demo <name> --help" for the options of a demo.
`;

const CELLS = ['lstm', 'gru', 'rnn'] as const;
const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const note = (s: string) => process.stderr.write(s + '\n');

export async function demoCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  switch (name) {
    case 'long-dependency':
      return longDependency(rest);
    case 'gradients':
      return gradients(rest);
    case 'prices':
      return prices(rest);
    case 'doug-jane-spot':
      return dougJaneSpot(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return name ? 0 : 2;
    default:
      throw new UserError(`unknown demo "${name}" (demos: long-dependency, gradients, prices, doug-jane-spot)`);
  }
}

// ---------------------------------------------------------------------------------------------------

const LD_FLAGS: Flags = {
  models: { type: 'string', help: 'comma-separated model names in models/ or paths (default: every long-dep-CELL and long-dep-prose-CELL model in models/)' },
  books: { type: 'string', multiple: true, help: `where to look for the held-out books for the unseen-books test (default ${LONG_DEPENDENCY_PROSE.books.join(', ')})` },
  train: { type: 'boolean', help: 'train the three models first: configs/long-dep-{lstm,gru,rnn}.json, then their -tune recipes' },
  'train-dir': { type: 'string', default: 'runs/long-dependency', help: 'where --train writes its models' },
  'max-minutes': { type: 'number', default: 10, help: 'time budget per model for the first stage of --train' },
  'tune-steps': { type: 'int', help: 'steps of the second stage of --train (default: the -tune recipe\'s)' },
  'per-bucket': { type: 'int', default: 100, help: 'test episodes per gap bucket' },
  seed: { type: 'string', default: 'long-dependency/test', help: 'seed of the test episodes' },
  out: { type: 'string', default: 'runs/demos/long-dependency', help: 'base path of the pictures (BASE-accuracy.svg/.png, BASE-forget…, BASE-cell…); folders are created' },
  force: { type: 'boolean', help: 'with --train: train over models an earlier --train left in --train-dir' },
  json: { type: 'boolean', help: 'one JSON object per model, test set and gap bucket' },
};

/** The long-dependency models in models/: the generator-filler and prose-filler ones, for every cell type. */
export function presentLongDependencyModels(): string[] {
  return ['long-dep', 'long-dep-prose'].flatMap((prefix) => CELL_TYPES.map((c) => `${prefix}-${c}`)).filter((n) => existsSync(resolveModelPath(n)));
}

async function loadAll(names: string[]): Promise<LoadedModel[]> {
  const models: LoadedModel[] = [];
  for (const n of names) {
    const file = resolveModelPath(n);
    if (!existsSync(file)) throw new UserError(`${file}: no such model; train it with "storyteller demo long-dependency --train" or give --models`);
    models.push(checkEpisodeModel(await loadModel(n)));
  }
  return models;
}

/**
 * The episodes are scored character by character on the country and language names: a word model, or a
 * char model that lacks their letters (one trained on other text), cannot be asked, and is refused here.
 */
function checkEpisodeModel(lm: LoadedModel): LoadedModel {
  const hint = 'use a char-level model trained on the episodes (long-dep-lstm, long-dep-gru, long-dep-rnn, or --train)';
  if (lm.tokenizer.level !== 'char') throw new UserError(`${lm.name} is a ${lm.tokenizer.level}-level model; ${hint}`);
  const needed = new Set(COUNTRY_LANGUAGE.flatMap(([country, language]) => [...INTRO(country), ...QUESTION, ...language]));
  const missing = [...needed].filter((c) => lm.tokenizer.idOf(c) === undefined);
  if (missing.length) throw new UserError(`${lm.name} does not know the characters ${missing.slice(0, 8).map((c) => JSON.stringify(c)).join(', ')}${missing.length > 8 ? ' and more' : ''} of the episodes; ${hint}`);
  return lm;
}

/** Runs one recipe into `file`, starting from `init` when given; progress goes to stderr. */
async function trainRecipe(recipeFile: string, file: string, over: Record<string, unknown>, init: string | undefined, force: boolean): Promise<void> {
  const recipe = await readRecipe(recipeFile);
  if (recipe.generate !== undefined) await ensureGeneratedCorpus(recipe.generate, recipe.root, recipeFile);
  const config = resolveTrainConfig(recipe.options, over);
  const select = recipe.selectBy !== undefined ? resolveSelector(recipe.selectBy, PROJECT_ROOT) : undefined;
  await fs.mkdir(path.dirname(file), { recursive: true });
  note(`training ${recipe.name} with ${path.basename(recipeFile)}${init ? ` from ${path.basename(init)}` : ''} → ${file}`);
  for await (const ev of train({ config, data: recipe.data ?? [], out: file, name: recipe.name, init, select, force, inputs: [recipeFile] })) {
    if (ev.type === 'eval') {
      const score = ev.score ? `, ${ev.score.name} ${(ev.score.value * 100).toFixed(1)}%` : '';
      note(`  step ${ev.step}: validation loss ${ev.valLoss.toFixed(4)}${score}${ev.improved ? ' *best' : ''}`);
    }
    if (ev.type === 'done') note(`  done at step ${ev.step} (${ev.reason}) in ${ev.elapsedSec.toFixed(0)} s`);
  }
}

/**
 * The shipped models' two stages, into `dir`: configs/long-dep-CELL.json (cut to `maxMinutes`) on the
 * committed 10,000 episodes, then configs/long-dep-CELL-tune.json on the large generated corpus, keeping
 * the state with the best held-out accuracy.
 */
async function trainLongDependencyModels(dir: string, maxMinutes: number, tuneSteps: number | undefined, force: boolean): Promise<string[]> {
  const outs: string[] = [];
  for (const cell of CELLS) {
    const stage1 = path.join(PROJECT_ROOT, 'configs', `long-dep-${cell}.json`);
    const tune = path.join(PROJECT_ROOT, 'configs', `long-dep-${cell}-tune.json`);
    const first = path.resolve(dir, `long-dep-${cell}-stage1.safetensors`);
    await trainRecipe(stage1, first, { maxMinutes }, undefined, force);
    // The tuning recipe names which stage-1 file it starts from (the last state or the kept one).
    const { init } = await readRecipe(tune);
    const file = path.resolve(dir, `long-dep-${cell}.safetensors`);
    await trainRecipe(tune, file, tuneSteps ? { maxSteps: tuneSteps } : {}, path.join(path.dirname(first), path.basename(init ?? first)), force);
    outs.push(file);
  }
  return outs;
}

async function longDependency(argv: string[]): Promise<number> {
  const a = parseFlags(argv, LD_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo long-dependency [--train] [--models A,B,C] [--books DIR] [--json] [--out BASE]', LD_FLAGS));
    return 0;
  }
  const given = (a.models as string | undefined)?.split(',').map((s) => s.trim()).filter(Boolean);
  const names = a.train ? await trainLongDependencyModels(a['train-dir'] as string, a['max-minutes'] as number, a['tune-steps'] as number | undefined, !!a.force) : (given ?? presentLongDependencyModels());
  if (names.length === 0) throw new UserError('no long-dependency models in models/; train them (see docs/demos.md) or give --models');
  const models = await loadAll(names);
  const perBucket = a['per-bucket'] as number;
  const seed = a.seed as string;
  const fillers = loadFillerPool(PROJECT_ROOT, 'early-reader', 'test');
  // Three test sets, none ever trained on: generator filler, the project's stories, the held-out books.
  const sets: Array<[TestSetName, TestSetOptions]> = [
    ['generator', { fillers, perBucket, seed }],
    ['stories', { prose: storiesPool(PROJECT_ROOT), perBucket, seed: `${seed}/stories` }],
  ];
  const bookPaths = (a.books as string[] | undefined)?.map((p) => path.resolve(p)) ?? LONG_DEPENDENCY_PROSE.books.map((p) => path.join(PROJECT_ROOT, p));
  const books = await heldOutBooksPool(bookPaths);
  if (books) sets.push(['books', { prose: books.pool, perBucket, seed: `${seed}/books` }]);
  else note(`no unseen-books test: none of the held-out books is in ${bookPaths.join(', ')} (storyteller corpus fetch ${HELD_OUT_BOOKS.map((b) => b.ebook).join(' ')}, or --books DIR)`);
  const results: BucketResult[] = sets.flatMap(([test, opts]) => runLongDependencyEval(models, opts, test));
  if (a.json) for (const r of results) out(JSON.stringify(r));
  else out(formatBucketTable(results));

  const base = a.out as string;
  const chance = { name: 'chance', points: [[GAP_BUCKETS[0]!.min, 1 / COUNTRY_LANGUAGE.length], [GAP_BUCKETS.at(-1)!.max, 1 / COUNTRY_LANGUAGE.length]] as Array<[number, number]> };
  const files = [];
  // One plot per test set: BASE-accuracy (generator filler, as before), BASE-accuracy-stories, BASE-accuracy-books.
  for (const [test] of sets) {
    const plot = linePlot({
      title: `Remembering the country across the gap: ${TEST_SET_TITLES[test].split(':')[0]}`,
      xLabel: 'gap between country and language (characters, bucket middle)',
      yLabel: 'accuracy',
      yMin: 0,
      yMax: 1,
      series: models.map((lm) => ({
        name: `${lm.name} (${lm.model.paramCount.toLocaleString('en')} params)`,
        points: results.filter((r) => r.test === test && r.model === lm.name).map((r) => [(r.gap_min + r.gap_max) / 2, r.accuracy] as [number, number]),
      })).concat([chance]),
    });
    files.push(await writePicture(test === 'generator' ? `${base}-accuracy` : `${base}-accuracy-${test}`, plot));
  }

  const lstm = models.find((m) => hasCellState(m.model.config.cell));
  if (lstm) {
    const long = bucketEpisodes({ fillers, perBucket: 150, buckets: [{ min: 200, max: 360 }], seed: `${seed}/probe` })[0]!.episodes;
    const report = findMemoryCells(lstm, long);
    // With --json the finding is one more line after the bucket rows, told apart by its key.
    if (a.json) out(JSON.stringify({ memory_cells: { model: lstm.name, ...report } }));
    else out('\n' + formatMemoryCells(report));
    // One long episode, the best memory units: their forget gates and cell states character by character.
    const episode = long.find((e) => e.gap >= 200 && e.gap <= 260) ?? long[0]!;
    const tr = traceEpisode(lstm, episode);
    const top = report.units.slice(0, 8).map((u) => u.unit);
    const tokens = tr.chars.slice(1);
    const pick = (rows: number[][]) => rows.slice(1).map((r) => top.map((u) => r[u]!));
    const labels = top.map((u) => `u${u}`);
    files.push(await writePicture(`${base}-forget`, gateHeatmap({ tokens, values: pick(tr.forget), kind: 'forget', unitLabels: labels, title: `LSTM memory units: forget gate across a ${episode.gap}-character gap` })));
    files.push(await writePicture(`${base}-cell`, gateHeatmap({ tokens, values: pick(tr.cell), kind: 'cell', unitLabels: labels, title: `LSTM memory units: cell state carrying "${episode.country}"` })));
  }
  note(`pictures: ${files.map((f) => `${f.svgPath}, ${f.pngPath}`).join(', ')}`);
  return 0;
}

// ---------------------------------------------------------------------------------------------------

const GRAD_FLAGS: Flags = {
  models: { type: 'string', default: 'long-dep-rnn,long-dep-lstm', help: 'trained models for part (b), comma-separated' },
  'per-gap': { type: 'int', default: 20, help: 'episodes per gap in part (b)' },
  out: { type: 'string', default: 'runs/demos/gradients', help: 'base path of the picture (BASE.svg/.png); folders are created' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

export const GRADIENT_GAPS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 350];

async function gradients(argv: string[]): Promise<number> {
  const a = parseFlags(argv, GRAD_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo gradients [--models A,B] [--json] [--out BASE]', GRAD_FLAGS));
    return 0;
  }
  const arithmetic = arithmeticDemo();
  const names = (a.models as string).split(',').map((s) => s.trim()).filter(Boolean);
  const present = names.filter((n) => existsSync(resolveModelPath(n)));
  if (present.length < names.length) note(`part (b) skips missing models: ${names.filter((n) => !present.includes(n)).join(', ')}`);
  const models = (await Promise.all(present.map((n) => loadModel(n)))).map(checkEpisodeModel);
  const fillers = loadFillerPool(PROJECT_ROOT, 'early-reader', 'test');
  const sets = bucketEpisodes({ fillers, perBucket: a['per-gap'] as number, buckets: GRADIENT_GAPS.map((g) => ({ min: g, max: g + 9 })), seed: 'gradients' }).map((s) => ({ gap: s.bucket.min, episodes: s.episodes }));
  const byGap = models.length ? gradientByGap(models, sets) : [];
  if (a.json) out(JSON.stringify({ arithmetic, byGap }));
  else out(formatArithmetic(arithmetic) + (byGap.length ? '\n\n' + formatGapGradients(byGap) : ''));
  if (byGap.length) {
    const pic = linePlot({
      title: 'Gradient reaching the country, by gap',
      xLabel: 'gap (characters)',
      yLabel: '‖∂ answer / ∂ state at the country‖',
      logY: true,
      series: models.map((lm) => ({ name: lm.model.config.cell.toUpperCase(), points: byGap.filter((r) => r.cell === lm.model.config.cell && r.norm > 0).map((r) => [r.gap, r.norm] as [number, number]) })),
    });
    const f = await writePicture(a.out as string, pic);
    note(`picture: ${f.svgPath}, ${f.pngPath}`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------

const PRICE_FLAGS: Flags = {
  steps: { type: 'int', default: 600, help: 'Adam steps' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

async function prices(argv: string[]): Promise<number> {
  const a = parseFlags(argv, PRICE_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo prices [--steps N] [--json]', PRICE_FLAGS));
    return 0;
  }
  const d = pricesDemo({ steps: a.steps as number });
  out(a.json ? JSON.stringify(d) : formatPrices(d));
  return 0;
}

// ---------------------------------------------------------------------------------------------------

const DJS_FLAGS: Flags = {
  checkpoint: checkpointFlag('doug-jane-spot'),
  sentences: { type: 'int', default: 1000, help: 'sample at least this many sentences' },
  temperature: { type: 'number', default: 1, help: 'sampling temperature' },
  seed: { type: 'string', default: 'doug-jane-spot/demo', help: 'sampling seed' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

async function dougJaneSpot(argv: string[]): Promise<number> {
  const a = parseFlags(argv, DJS_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo doug-jane-spot [--checkpoint NAME|PATH] [--sentences N] [--json]', DJS_FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  const r = dougJaneSpotDemo(lm, { minSentences: a.sentences as number, temperature: a.temperature as number, seed: a.seed as string });
  out(a.json ? JSON.stringify(r) : formatDougJaneSpot(r));
  return 0;
}
