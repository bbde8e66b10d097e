// storyteller demo long-dependency: every long-dependency model in models/ (or --models) on the same test
// episodes by gap bucket, on episodes in a row (multi-episode), the memory cell of each LSTM-family model,
// and pictures: accuracy by gap, the memory units over one episode, and (--heatmaps DIR) every cell over a stream.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.ts';
import { COUNTRY_LANGUAGE, INTRO, loadFillerPool, QUESTION } from '../../demos/long-dependency-corpus.ts';
import { bucketEpisodes, GAP_BUCKETS, runLongDependencyEval, TEST_SET_TITLES, type BucketResult, type TestSetName, type TestSetOptions } from '../../demos/long-dependency.ts';
import { HELD_OUT_BOOKS, LONG_DEPENDENCY_PROSE } from '../../demos/long-dependency-prose.ts';
import { heldOutBooksPool, storiesPool } from '../../demos/long-dependency-test-pools.ts';
import { longDependencyRecipeCells, parseCellList, trainLongDependencyModels } from '../../demos/long-dependency-train.ts';
import { findMemoryCells, traceEpisode } from '../../demos/memory-cells.ts';
import { makeStreams, runStreamEval, STREAM_DEFAULTS } from '../../demos/multi-episode.ts';
import { streamPictures } from '../../demos/stream-pictures.ts';
import { formatBucketTable, formatMemoryCells } from '../../demos/format.ts';
import { formatVariantsTable, markdownVariantsTable } from '../../demos/format-variants.ts';
import { CELL_TYPES, hasCellState } from '../../engine/config.ts';
import type { LoadedModel } from '../../generation/generator.ts';
import { gateHeatmap } from '../../render/heatmap.ts';
import { linePlot } from '../../render/line-plot.ts';
import { writePicture, type PictureFiles } from '../../render/write-picture.ts';
import { loadModel, PROJECT_ROOT, resolveModelPath } from '../../models.ts';
import { helpText, parseFlags, type Flags } from '../args.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const note = (s: string) => process.stderr.write(s + '\n');

const LD_FLAGS: Flags = {
  models: { type: 'string', help: 'comma-separated model names in models/ or paths (default: every long-dep-CELL and long-dep-prose-CELL model in models/)' },
  books: { type: 'string', multiple: true, help: `where to look for the held-out books for the unseen-books test (default ${LONG_DEPENDENCY_PROSE.books.join(', ')})` },
  train: { type: 'boolean', help: 'train the models first: configs/long-dep-CELL.json, then its -tune recipe, for each cell of --cells' },
  cells: { type: 'string', help: 'with --train: comma-separated cells (default: every cell with a configs/long-dep-CELL.json recipe)' },
  'train-dir': { type: 'string', default: 'runs/long-dependency', help: 'where --train writes its models' },
  'max-minutes': { type: 'number', default: 10, help: 'time budget per model for the first stage of --train' },
  'tune-steps': { type: 'int', help: 'steps of the second stage of --train (default: the -tune recipe\'s)' },
  'per-bucket': { type: 'int', default: 100, help: 'test episodes per gap bucket' },
  streams: { type: 'int', default: STREAM_DEFAULTS.streams, help: 'multi-episode test: streams of episodes one after another (the 2nd and later of each are scored)' },
  'stream-episodes': { type: 'int', default: STREAM_DEFAULTS.episodes, help: 'episodes per stream (at least 2)' },
  seed: { type: 'string', default: 'long-dependency/test', help: 'seed of the test episodes' },
  out: { type: 'string', default: 'runs/demos/long-dependency', help: 'base path of the pictures (BASE-accuracy.svg/.png, BASE-forget…, BASE-cell…); folders are created' },
  heatmaps: { type: 'string', help: 'folder for pictures of every model over one stream: stream-cell-MODEL, stream-forget-MODEL (where there is a forget gate) and stream-cell-norm (.svg/.png)' },
  force: { type: 'boolean', help: 'with --train: train over models an earlier --train left in --train-dir; with --heatmaps: replace pictures already there' },
  json: { type: 'boolean', help: 'one JSON object per model, test set and gap bucket; then {"multiEpisode"} per model and {"memoryCells"} per LSTM-family model' },
  markdown: { type: 'boolean', help: 'print the side-by-side tables as Markdown (for docs/demos.md)' },
};

/** The long-dependency model names for every cell type: the generator-filler ones, then the prose-filler ones. */
export const LONG_DEPENDENCY_NAMES = ['long-dep', 'long-dep-prose'].flatMap((prefix) => CELL_TYPES.map((c) => `${prefix}-${c}`));

/** The long-dependency models in models/: the generator-filler and prose-filler ones, for every cell type. */
export function presentLongDependencyModels(): string[] {
  return LONG_DEPENDENCY_NAMES.filter((n) => existsSync(resolveModelPath(n)));
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
export function checkEpisodeModel(lm: LoadedModel): LoadedModel {
  const hint = 'use a char-level model trained on the episodes (long-dep-CELL for a cell type, or --train)';
  if (lm.tokenizer.level !== 'char') throw new UserError(`${lm.name} is a ${lm.tokenizer.level}-level model; ${hint}`);
  const needed = new Set(COUNTRY_LANGUAGE.flatMap(([country, language]) => [...INTRO(country), ...QUESTION, ...language]));
  const missing = [...needed].filter((c) => lm.tokenizer.idOf(c) === undefined);
  if (missing.length) throw new UserError(`${lm.name} does not know the characters ${missing.slice(0, 8).map((c) => JSON.stringify(c)).join(', ')}${missing.length > 8 ? ' and more' : ''} of the episodes; ${hint}`);
  return lm;
}

const between = (flag: string, v: number, min: number, max: number) => {
  if (!(Number.isInteger(v) && v >= min && v <= max)) throw new UserError(`--${flag} must be a whole number from ${min} to ${max.toLocaleString('en')} (got ${v})`);
};

/** Refuses before any work when a picture --heatmaps would write is already in `dir` (unless force). */
function checkHeatmapDir(dir: string, modelNames: string[], force: boolean): void {
  if (force) return;
  const names = [...modelNames.flatMap((n) => [`stream-cell-${n}`, `stream-forget-${n}`]), 'stream-cell-norm'];
  for (const n of names) {
    for (const ext of ['svg', 'png']) {
      const file = path.join(dir, `${n}.${ext}`);
      if (existsSync(file)) throw new UserError(`${file} already exists: give --force to replace it, or another --heatmaps folder`);
    }
  }
}

const baseName = (n: string) => path.basename(resolveModelPath(n)).replace(/\.safetensors$/, '');

export async function longDependency(argv: string[]): Promise<number> {
  const a = parseFlags(argv, LD_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo long-dependency [--train [--cells A,B]] [--models A,B,C] [--books DIR] [--heatmaps DIR] [--json | --markdown] [--out BASE]', LD_FLAGS));
    return 0;
  }
  if (a.json && a.markdown) throw new UserError('--json and --markdown: give one of them');
  const perBucket = a['per-bucket'] as number;
  const streamCount = a.streams as number;
  const streamEpisodes = a['stream-episodes'] as number;
  between('per-bucket', perBucket, 1, 100_000);
  between('streams', streamCount, 1, 100_000);
  between('stream-episodes', streamEpisodes, 2, 100);
  if (a.cells !== undefined && !a.train) throw new UserError('--cells chooses what --train trains; give --train too, or --models');
  const heatmapDir = a.heatmaps as string | undefined;
  const given = (a.models as string | undefined)?.split(',').map((s) => s.trim()).filter(Boolean);
  const cells = a.train ? (a.cells !== undefined ? parseCellList(a.cells as string) : longDependencyRecipeCells()) : [];
  if (heatmapDir) checkHeatmapDir(heatmapDir, a.train ? cells.map((c) => `long-dep-${c}`) : (given ?? LONG_DEPENDENCY_NAMES).map(baseName), !!a.force);

  let names: string[];
  if (a.train) {
    names = await trainLongDependencyModels({ dir: a['train-dir'] as string, cells, maxMinutes: a['max-minutes'] as number, tuneSteps: a['tune-steps'] as number | undefined, force: !!a.force, note });
  } else if (given) {
    names = given;
  } else {
    names = presentLongDependencyModels();
    // A model not trained yet is left out with a note, not an error: the table shows the ones there are.
    const absent = LONG_DEPENDENCY_NAMES.filter((n) => !names.includes(n));
    if (names.length && absent.length) note(`not in models/ (not trained yet), left out: ${absent.join(', ')}`);
  }
  if (names.length === 0) throw new UserError('no long-dependency models in models/; train them (see docs/demos.md) or give --models');
  const models = await loadAll(names);
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
  // Episodes in a row, generator filler: the same streams for every model.
  const streams = runStreamEval(models, { fillers, streams: streamCount, episodes: streamEpisodes, seed: `${seed}/streams` });
  const long = bucketEpisodes({ fillers, perBucket: 150, buckets: [{ min: 200, max: 360 }], seed: `${seed}/probe` })[0]!.episodes;
  const memory = models.filter((m) => hasCellState(m.model.config.cell)).map((lm) => ({ lm, report: findMemoryCells(lm, long) }));

  if (a.json) {
    for (const r of results) out(JSON.stringify(r));
    for (const r of streams) out(JSON.stringify({ multiEpisode: r }));
    // The memory-cell findings follow the bucket rows, one line per model, told apart by their key.
    for (const { lm, report } of memory) out(JSON.stringify({ memoryCells: { model: lm.name, ...report } }));
  } else if (a.markdown) {
    for (const [test] of sets) out(`${TEST_SET_TITLES[test]}\n\n${markdownVariantsTable(results, test === 'generator' ? streams : [], test)}\n`);
  } else {
    out(formatBucketTable(results));
    out('\n' + formatVariantsTable(results, streams));
    for (const { lm, report } of memory) out(`\n${lm.name}: ${formatMemoryCells(report)}`);
  }

  const base = a.out as string;
  const chance = { name: 'chance', points: [[GAP_BUCKETS[0]!.min, 1 / COUNTRY_LANGUAGE.length], [GAP_BUCKETS.at(-1)!.max, 1 / COUNTRY_LANGUAGE.length]] as Array<[number, number]> };
  const files: PictureFiles[] = [];
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
        points: results.filter((r) => r.test === test && r.model === lm.name).map((r) => [(r.gapMin + r.gapMax) / 2, r.accuracy] as [number, number]),
      })).concat([chance]),
    });
    files.push(await writePicture(test === 'generator' ? `${base}-accuracy` : `${base}-accuracy-${test}`, plot));
  }

  // The first LSTM-family model's memory units over one long episode: forget gates and cell states.
  const first = memory[0];
  if (first) {
    const { lm, report } = first;
    const episode = long.find((e) => e.gap >= 200 && e.gap <= 260) ?? long[0]!;
    const tr = traceEpisode(lm, episode);
    const top = report.units.slice(0, 8).map((u) => u.unit);
    const tokens = tr.chars.slice(1);
    const pick = (rows: number[][]) => rows.slice(1).map((r) => top.map((u) => r[u]!));
    const labels = top.map((u) => `u${u}`);
    files.push(await writePicture(`${base}-forget`, gateHeatmap({ tokens, values: pick(tr.forget), kind: 'forget', unitLabels: labels, title: `${lm.name} memory units: forget gate across a ${episode.gap}-character gap` })));
    files.push(await writePicture(`${base}-cell`, gateHeatmap({ tokens, values: pick(tr.cell), kind: 'cell', unitLabels: labels, title: `${lm.name} memory units: cell state carrying "${episode.country}"` })));
  }
  if (heatmapDir) {
    const stream = makeStreams({ fillers, streams: 1, episodes: streamEpisodes, seed: `${seed}/heatmap` })[0]!;
    for (const p of streamPictures(models, stream)) files.push(await writePicture(path.join(heatmapDir, p.name), p.picture));
  }
  note(`pictures: ${files.map((f) => `${f.svgPath}, ${f.pngPath}`).join(', ')}`);
  return 0;
}
