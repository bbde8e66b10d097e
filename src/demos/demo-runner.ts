// Runs a teaching demo for an interactive front end (the TUI's demo screen, the bot's /demo) in a child
// process, `storyteller demo NAME --json`, and parses its output back into the plain data of src/demos.
// A child process keeps the heavy demos (sampling a thousand sentences, scoring hundreds of episodes
// through three models) off the thread that serves the user, and Esc or a timeout can stop it outright.
// No Ink or React here: the bot uses this module too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DougJaneSpotReport } from './doug-jane-spot.ts';
import { formatArithmetic, formatBucketTable, formatDougJaneSpot, formatGapGradients, formatMemoryCells, formatPrices } from './format.ts';
import type { ArithmeticDemo, GapGradient } from './gradients.ts';
import type { BucketResult } from './long-dependency.ts';
import type { MemoryCellReport } from './memory-cells.ts';
import type { StreamResult } from './multi-episode.ts';
import { formatVariantsTable } from './format-variants.ts';
import { CELL_TYPES } from '../engine/config.ts';
import type { PricesDemo } from './prices.ts';
import { UserError } from '../errors.ts';
import { MODELS_DIR } from '../models.ts';
import { nodeArgs } from '../worker-url.ts';

export const DEMO_NAMES = ['long-dependency', 'gradients', 'prices', 'doug-jane-spot'] as const;
export type DemoName = (typeof DEMO_NAMES)[number];

/** One line per demo, for menus and command choices. */
export const DEMO_TITLES: Record<DemoName, string> = {
  'long-dependency': '"I grew up in France … I speak fluent French": LSTM and its variants vs GRU vs RNN by gap',
  gradients: 'vanishing and exploding gradients: 2^50 vs 0.5^50',
  prices: "one LSTM unit predicts day 5 of two companies' share prices",
  'doug-jane-spot': 'how often the early-reader model writes "X saw X."',
};

/** The shipped models each demo reads (names in the models folder). */
// The -prose models (filler from children's books, configs/long-dep-prose-*.json) are shown when trained.
// Every cell type, the LSTM variants included; a model not trained yet is left out with a note.
export const LONG_DEPENDENCY_MODELS = ['long-dep', 'long-dep-prose'].flatMap((prefix) => CELL_TYPES.map((c) => `${prefix}-${c}`));
export const GRADIENT_MODELS = CELL_TYPES.map((c) => `long-dep-${c}`);
export const DOUG_JANE_SPOT_MODEL = 'doug-jane-spot';

export type DemoData =
  | { name: 'long-dependency'; results: BucketResult[]; multiEpisode?: StreamResult[]; memoryCells?: MemoryCellReport; accuracyPng?: Buffer; notes: string[] }
  | { name: 'gradients'; arithmetic: ArithmeticDemo; byGap: GapGradient[]; notes: string[] }
  | { name: 'prices'; prices: PricesDemo; notes: string[] }
  | { name: 'doug-jane-spot'; report: DougJaneSpotReport; notes: string[] };

export interface DemoRunOptions {
  /** Folder of the shipped models (default: the project's models/). */
  modelsDir?: string;
  signal?: AbortSignal;
  /** Stop the child after this long (default: no limit). */
  timeoutMs?: number;
  /** Test episodes per gap bucket for long-dependency (the command's default is 100). */
  perBucket?: number;
  /** Called with each line the child writes to stderr (its progress notes). */
  onProgress?: (line: string) => void;
  /** Launcher script to run with node (default: the storyteller command). */
  bin?: string;
}

/** Runs one demo; the promise rejects with a UserError saying what to do, or an AbortError when cancelled. */
export type DemoRunner = (name: DemoName, options?: DemoRunOptions) => Promise<DemoData>;

// Fewer episodes than the command's 100 per bucket: an interactive answer within a minute matters more
// here than the last percent of precision (the table shows n).
export const INTERACTIVE_PER_BUCKET = 40;

const modelFile = (dir: string, name: string) => path.join(dir, `${name}.safetensors`);

export interface DemoPlan {
  args: string[];
  notes: string[];
}

/**
 * The command line for a demo, with model paths taken from `modelsDir`. Throws a UserError when a demo
 * cannot run at all because its models are missing; models that are merely optional become notes.
 */
export function planDemo(name: DemoName, modelsDir: string, outDir: string, perBucket = INTERACTIVE_PER_BUCKET): DemoPlan {
  const dir = path.resolve(modelsDir);
  const present = (names: string[]) => names.filter((n) => existsSync(modelFile(dir, n)));
  switch (name) {
    case 'long-dependency': {
      const have = present(LONG_DEPENDENCY_MODELS);
      if (have.length === 0) {
        throw new UserError(
          `the long-dependency models are not trained yet (no long-dep-CELL model in ${dir}); train them with "storyteller demo long-dependency --train"`,
        );
      }
      const missing = LONG_DEPENDENCY_MODELS.filter((n) => !have.includes(n));
      return {
        // Streams of four episodes: half as many as test episodes per bucket, for the same reason.
        args: ['--models', have.map((n) => modelFile(dir, n)).join(','), '--per-bucket', String(perBucket), '--streams', String(Math.max(1, Math.round(perBucket / 2))), '--out', path.join(outDir, 'long-dependency')],
        notes: missing.length ? [`not trained yet, left out: ${missing.join(', ')}`] : [],
      };
    }
    case 'gradients': {
      const have = present(GRADIENT_MODELS);
      const missing = GRADIENT_MODELS.filter((n) => !have.includes(n));
      return {
        args: ['--models', have.map((n) => modelFile(dir, n)).join(','), '--out', path.join(outDir, 'gradients')],
        notes: missing.length ? [`part (b) needs trained models; not trained yet: ${missing.join(', ')}`] : [],
      };
    }
    case 'prices':
      return { args: [], notes: [] };
    case 'doug-jane-spot': {
      const file = modelFile(dir, DOUG_JANE_SPOT_MODEL);
      if (!existsSync(file)) throw new UserError(`${file} does not exist; train it with "storyteller train --config configs/doug-jane-spot.json"`);
      return { args: ['--checkpoint', file], notes: [] };
    }
  }
}

/** Throws the UserError of planDemo when the demo cannot run with the models in `modelsDir`; else its notes. */
export function checkDemoModels(name: DemoName, modelsDir: string): string[] {
  return planDemo(name, modelsDir, tmpdir()).notes;
}

/** Parses the child's --json output (one object, or for long-dependency one per line). */
export function parseDemoOutput(name: DemoName, stdout: string, notes: string[] = []): DemoData {
  const objects = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  if (objects.length === 0) throw new Error(`the ${name} demo printed no result`);
  switch (name) {
    case 'long-dependency': {
      const results = objects.filter((o) => 'cell' in o) as unknown as BucketResult[];
      const multiEpisode = objects.filter((o) => 'multiEpisode' in o).map((o) => o.multiEpisode as StreamResult);
      // One memory-cell line per LSTM-family model; the first (the standard LSTM when there is one) is shown.
      const mc = objects.find((o) => 'memoryCells' in o)?.memoryCells as MemoryCellReport | undefined;
      return { name, results, multiEpisode, memoryCells: mc, notes };
    }
    case 'gradients': {
      const o = objects[0] as unknown as { arithmetic: ArithmeticDemo; byGap: GapGradient[] };
      return { name, arithmetic: o.arithmetic, byGap: o.byGap ?? [], notes };
    }
    case 'prices':
      return { name, prices: objects[0] as unknown as PricesDemo, notes };
    case 'doug-jane-spot':
      return { name, report: objects[0] as unknown as DougJaneSpotReport, notes };
  }
}

/** The demo's result as the text tables of src/demos/format.ts, notes last. */
export function demoText(d: DemoData): string {
  const parts: string[] = [];
  switch (d.name) {
    case 'long-dependency':
      parts.push(formatBucketTable(d.results));
      if (d.multiEpisode?.length) parts.push(formatVariantsTable(d.results, d.multiEpisode));
      if (d.memoryCells) parts.push(formatMemoryCells(d.memoryCells));
      break;
    case 'gradients':
      parts.push(formatArithmetic(d.arithmetic));
      if (d.byGap.length) parts.push(formatGapGradients(d.byGap));
      break;
    case 'prices':
      parts.push(formatPrices(d.prices));
      break;
    case 'doug-jane-spot':
      parts.push(formatDougJaneSpot(d.report));
      break;
  }
  if (d.notes.length) parts.push(d.notes.map((n) => `note: ${n}`).join('\n'));
  return parts.join('\n\n');
}

const CLI_PREFIX = /^storyteller demo: /;

/** Runs `storyteller demo NAME --json` in a child process and parses what it prints. */
export const runDemoProcess: DemoRunner = async (name, options = {}) => {
  const outDir = await mkdtemp(path.join(tmpdir(), 'storyteller-demo-'));
  try {
    const plan = planDemo(name, options.modelsDir ?? MODELS_DIR, outDir, options.perBucket);
    const launcher = options.bin ? [options.bin] : nodeArgs('../bin/storyteller.ts', import.meta.url);
    const stdout = await runChild([...launcher, 'demo', name, '--json', ...plan.args], name, options);
    const data = parseDemoOutput(name, stdout, plan.notes);
    if (data.name === 'long-dependency') {
      data.accuracyPng = await readFile(path.join(outDir, 'long-dependency-accuracy.png')).catch(() => undefined);
    }
    return data;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
};

function runChild(args: string[], name: DemoName, options: DemoRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    let stopped: 'abort' | 'timeout' | undefined;
    const stop = (why: 'abort' | 'timeout') => {
      stopped ??= why;
      child.kill('SIGTERM');
    };
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) options.onProgress?.(l.replace(CLI_PREFIX, ''));
    });
    child.on('error', (err) => finish(() => reject(err)));
    child.on('close', (code) => {
      finish(() => {
        if (stopped === 'abort') return reject(abortError());
        if (stopped === 'timeout') return reject(new UserError(`the ${name} demo took longer than ${Math.round(options.timeoutMs! / 1000)} s and was stopped`));
        if (code === 0) return resolve(stdout);
        const lines = stderr.split('\n').filter((l) => l.trim());
        const said = [...lines].reverse().find((l) => CLI_PREFIX.test(l)) ?? lines.at(-1) ?? `exit code ${code}`;
        // The command's own one-line message is already written for people; anything else is a crash.
        if (CLI_PREFIX.test(said) && !said.includes('internal error')) reject(new UserError(said.replace(CLI_PREFIX, '')));
        else reject(new Error(`the ${name} demo failed: ${said.replace(CLI_PREFIX, '')}`));
      });
    });
    function finish(then: () => void) {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      then();
    }
  });
}

function abortError(): Error {
  const e = new Error('the demo was cancelled');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
