// storyteller demo: the teaching demos. Each subcommand computes plain data with src/demos, prints it as
// a table (or JSON with --json) and, where there is something to see, writes pictures (SVG + PNG).
// long-dependency lives in demo-long-dependency.ts.
import { existsSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { loadFillerPool } from '../../demos/long-dependency-corpus.ts';
import { bucketEpisodes } from '../../demos/long-dependency.ts';
import { CELL_TYPES } from '../../engine/config.ts';
import { arithmeticDemo, gradientByGap } from '../../demos/gradients.ts';
import { pricesDemo } from '../../demos/prices.ts';
import { dougJaneSpotDemo } from '../../demos/doug-jane-spot.ts';
import { formatArithmetic, formatDougJaneSpot, formatGapGradients, formatPrices } from '../../demos/format.ts';
import { markdownGapGradients } from '../../demos/format-variants.ts';
import { linePlot } from '../../render/line-plot.ts';
import { writePicture } from '../../render/write-picture.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { loadModel, PROJECT_ROOT, resolveModelPath } from '../../models.ts';
import { checkEpisodeModel, longDependency } from './demo-long-dependency.ts';

const USAGE = `usage: storyteller demo <name> [options]

demos:
  long-dependency   "I grew up in France … I speak fluent French": every cell (LSTM and its variants, GRU, RNN) by gap
  gradients         vanishing and exploding gradients: 2^50 vs 0.5^50, and by gap on trained models
  prices            one LSTM unit predicts day 5 of two companies' share prices
  doug-jane-spot    the early-reader model: how often it writes "X saw X."

Run "storyteller demo <name> --help" for the options of a demo.
`;

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

/** Part (b)'s default models: the generator-filler long-dependency model of every cell type. */
export const GRADIENT_DEFAULT_MODELS = CELL_TYPES.map((c) => `long-dep-${c}`);

const GRAD_FLAGS: Flags = {
  models: { type: 'string', help: `trained models for part (b), comma-separated (default: ${GRADIENT_DEFAULT_MODELS.join(',')}, those in models/)` },
  'per-gap': { type: 'int', default: 20, help: 'episodes per gap in part (b)' },
  out: { type: 'string', default: 'runs/demos/gradients', help: 'base path of the picture (BASE.svg/.png); folders are created' },
  json: { type: 'boolean', help: 'print one JSON object' },
  markdown: { type: 'boolean', help: 'print part (b) as a Markdown table (for docs/demos.md)' },
};

export const GRADIENT_GAPS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 350];

async function gradients(argv: string[]): Promise<number> {
  const a = parseFlags(argv, GRAD_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller demo gradients [--models A,B] [--json | --markdown] [--out BASE]', GRAD_FLAGS));
    return 0;
  }
  if (a.json && a.markdown) throw new UserError('--json and --markdown: give one of them');
  const perGap = a['per-gap'] as number;
  if (!(Number.isInteger(perGap) && perGap >= 1)) throw new UserError(`--per-gap must be a whole number ≥ 1 (got ${perGap})`);
  const arithmetic = arithmeticDemo();
  const given = (a.models as string | undefined)?.split(',').map((s) => s.trim()).filter(Boolean);
  const names = given ?? GRADIENT_DEFAULT_MODELS;
  const present = names.filter((n) => existsSync(resolveModelPath(n)));
  if (present.length < names.length) note(`part (b) skips missing models: ${names.filter((n) => !present.includes(n)).join(', ')}`);
  const models = [];
  for (const n of present) models.push(checkEpisodeModel(await loadModel(n)));
  const fillers = loadFillerPool(PROJECT_ROOT, 'early-reader', 'test');
  const sets = bucketEpisodes({ fillers, perBucket: perGap, buckets: GRADIENT_GAPS.map((g) => ({ min: g, max: g + 9 })), seed: 'gradients' }).map((s) => ({ gap: s.bucket.min, episodes: s.episodes }));
  const byGap = models.length ? gradientByGap(models, sets) : [];
  if (a.json) out(JSON.stringify({ arithmetic, byGap }));
  else if (a.markdown) out(byGap.length ? markdownGapGradients(byGap) : 'no trained models for part (b)');
  else out(formatArithmetic(arithmetic) + (byGap.length ? '\n\n' + formatGapGradients(byGap) : ''));
  if (byGap.length) {
    const pic = linePlot({
      title: 'Gradient reaching the country, by gap',
      xLabel: 'gap (characters)',
      yLabel: 'gradient norm: d answer / d state at the country',
      logY: true,
      series: models.map((lm) => ({ name: lm.name, points: byGap.filter((r) => r.model === lm.name && r.norm > 0).map((r) => [r.gap, r.norm] as [number, number]) })),
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
