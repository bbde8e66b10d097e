// storyteller train: reads a recipe and flags into one TrainConfig, runs the trainer and shows its events
// as a progress bar (terminal), plain lines (pipe) or NDJSON (--json).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.ts';
import { resolveTrainConfig, TRAIN_OPTION_LIST, type TrainConfig } from '../../training/config.ts';
import type { TrainEvent } from '../../training/events.ts';
import { train } from '../../training/trainer.ts';
import { sharedTrainControl, type SharedTrainControl, type TrainJob } from '../../training/trainer-worker-protocol.ts';
import { helpText, parseFlags, type Flags } from '../args.ts';
import { checkThreads, DEFAULT_THREADS_CAP } from '../../engine/threads.ts';
import { ensureGeneratedCorpus } from '../generated-corpora.ts';
import { readRecipe, type Recipe } from '../recipe.ts';
import { resolveSelector, SELECTORS_MODULE } from '../../demos/selectors.ts';
import { MODELS_DIR, PROJECT_ROOT, resolveModelPath } from '../../models.ts';
import { outputClosed, outputFailure, whenOutputCloses } from '../pipes.ts';
import { renderProgressLine } from '../progress.ts';
import { isMissingTuiPackage, TUI_MISSING } from '../terminal-ui.ts';

export const TRAIN_FLAGS: Flags = {
  data: { type: 'string', multiple: true, help: 'text file or folder of .txt files (repeatable)' },
  out: { type: 'string', help: 'output checkpoint; .best and .latest are written beside it' },
  config: { type: 'string', help: 'JSON recipe with any of the options below, keyed in camelCase ("hiddenSize" for --hidden-size), plus "data", "out"' },
  resume: { type: 'boolean', help: 'continue from OUT.latest.safetensors' },
  init: { type: 'string', help: 'start from this model\'s weights and vocabulary (a name in models/ or a path): fine-tuning' },
  'select-by': { type: 'string', help: 'keep the best state by this held-out score instead of validation loss (long-dependency-accuracy, long-dependency-prose-accuracy)' },
  books: { type: 'string', multiple: true, help: 'books (files or folders) a recipe\'s generated prose corpus takes its filler from, in place of the recipe\'s "books"' },
  json: { type: 'boolean', help: 'one NDJSON object per event on stdout' },
  name: { type: 'string', help: 'model name for the model card' },
  force: { type: 'boolean', help: 'train over the files an earlier run left at --out (with --config: write the recipe\'s out even in models/)' },
  threads: { type: 'int', help: `threads for the matrix products (default: one per core, up to ${DEFAULT_THREADS_CAP}; the model is the same for any count)` },
  // The training options, as TRAIN_OPTIONS describes them (the recipe keys in kebab-case).
  ...Object.fromEntries(TRAIN_OPTION_LIST.map((o) => [o.flag, { type: o.type, help: o.help, default: o.default, choices: o.choices }])),
};

// The same flags without the options' defaults (--help shows them): a flag left out reads as undefined, so
// it cannot mask the recipe's value, and the flags given are the run's explicit overrides.
const GIVEN_FLAGS: Flags = Object.fromEntries(Object.entries(TRAIN_FLAGS).map(([name, f]) => [name, { ...f, default: undefined }]));

export async function trainCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, GIVEN_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller train --data PATH… --out FILE.safetensors [options]', TRAIN_FLAGS));
    return 0;
  }
  const recipe: Partial<Recipe> = a.config ? await readRecipe(a.config as string) : {};
  const explicit: Record<string, unknown> = {};
  for (const { key, flag } of TRAIN_OPTION_LIST) if (a[flag] !== undefined) explicit[key] = a[flag];
  const config = resolveTrainConfig(recipe.options ?? {}, explicit);
  const data = (a.data as string[] | undefined) ?? recipe.data;
  let out = (a.out as string | undefined) ?? recipe.out;
  if (!data?.length) throw new UserError('no training data: give --data FILE_OR_FOLDER (or "data" in the --config recipe)');
  if (!out) throw new UserError('no output file: give --out FILE.safetensors');
  if (a.init && a.resume) throw new UserError('--init starts a new run and --resume continues one: give one of them');
  const threads = a.threads === undefined ? undefined : checkThreads(a.threads, '--threads');
  // Reproducing a shipped model writes beside it in runs/, never over models/ unless asked to.
  if (!a.out && recipe.out && !a.force && isInside(recipe.out, MODELS_DIR)) {
    out = path.join('runs', path.basename(recipe.out));
    note(`writing ${out}: the recipe's out, ${path.relative(process.cwd(), recipe.out)}, is a shipped model (--force writes there, --out elsewhere)`);
  }
  if (a.books && recipe.generate === undefined) throw new UserError('--books is for a recipe whose corpus is generated from books (configs/long-dep-prose-*.json)');
  if (recipe.generate !== undefined && !a.data) await ensureGeneratedCorpus(recipe.generate, recipe.root!, recipe.file!, a.books as string[] | undefined);
  const missing = data.find((p) => !existsSync(p));
  if (missing && recipe.fetch?.length && /gutenberg/.test(missing)) {
    throw new UserError(`${missing}: no such folder; fetch the recipe's books first: storyteller corpus fetch ${recipe.fetch.join(' ')}`);
  }
  const init = a.init ? resolveModelPath(a.init as string) : a.resume ? undefined : recipe.init;
  if (init && !existsSync(init)) throw new UserError(`${init}: no such model to start from`);
  const selectBy = (a['select-by'] as string | undefined) ?? recipe.selectBy;
  const select = selectBy !== undefined ? resolveSelector(selectBy, PROJECT_ROOT) : undefined;
  const job: TrainJob = {
    config,
    data,
    out,
    resume: a.resume as boolean,
    force: a.force as boolean,
    inputs: a.config ? [a.config as string] : [],
    init,
    select: selectBy !== undefined ? { by: selectBy, root: PROJECT_ROOT, module: SELECTORS_MODULE } : undefined,
    overrides: explicit as Partial<TrainConfig>,
    name: (a.name as string) ?? recipe.name,
    threads,
  };

  // Shared memory, so pause and stop also reach a trainer running in the dashboard's worker thread.
  const control: SharedTrainControl = sharedTrainControl();
  // Ctrl-C (SIGINT), kill, timeout, docker stop or systemd (SIGTERM) and a closed terminal or ssh session
  // (SIGHUP) stop after the current step and save a checkpoint; a second signal quits at once. The exit
  // status is the shell's 128 + signal number.
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(EXIT_BY_SIGNAL[sig]);
    signalled = sig;
    control.stopRequested = true;
    if (!outputClosed()) process.stderr.write(`\nstopping (${sig}): saving a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit at once)\n`);
  };
  // A reader that closes the pipe (`--json | head`) stops the run the same way, keeping its checkpoints.
  const stopOnClose = whenOutputCloses(() => (control.stopRequested = true));
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  try {
    if (!a.json && process.stdout.isTTY && process.stdin.isTTY && !process.env.CI) {
      const tui = await loadTrainTui();
      if (tui) {
        // The dashboard runs the trainer in a worker thread; the plain and --json outputs below run it here.
        const run = await tui({ job, control });
        return signalled ? EXIT_BY_SIGNAL[signalled] : run.interrupted ? 130 : 0;
      }
    }
    await printEvents(train({ ...job, select, control }), !!a.json);
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
    stopOnClose();
  }
  return outputFailure() ? 1 : signalled ? EXIT_BY_SIGNAL[signalled] : 0;
}

const EXIT_BY_SIGNAL: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function note(line: string): void {
  if (!outputClosed()) process.stderr.write(line + '\n');
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** "reading 20 files: corpora/stories/01-….txt, … and 17 more": what --data amounted to. */
export function describeFiles(files: string[], shown = 3): string {
  const names = files.slice(0, shown).map((f) => {
    const rel = path.relative(process.cwd(), f);
    return rel && !rel.startsWith('..') ? rel : f;
  });
  const more = files.length > shown ? ` and ${files.length - shown} more` : '';
  return `reading ${files.length} file${files.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`;
}

type TrainApp = typeof import('../../tui/train-app.tsx');

export async function loadTrainTui(load: () => Promise<TrainApp> = () => import('../../tui/train-app.tsx')): Promise<TrainApp['runTrainTui'] | null> {
  try {
    return (await load()).runTrainTui;
  } catch (e) {
    // Installed as a library without ink and react: progress lines instead of the dashboard, and why. Any
    // other failure to load the dashboard is a real fault and is reported, not hidden behind the plain output.
    if (!isMissingTuiPackage(e)) throw e;
    process.stderr.write(`note: ${TUI_MISSING}\n`);
    return null;
  }
}

async function printEvents(events: AsyncIterable<TrainEvent>, json: boolean): Promise<void> {
  const tty = process.stderr.isTTY && !json;
  let lastVal: number | undefined;
  for await (const ev of events) {
    // A closed reader stops the run (see trainCommand); the events are still consumed so it saves.
    if (outputClosed()) continue;
    // What --data amounted to, for people reading stderr (with --json too: the start event lists them all).
    if (ev.type === 'start' && ev.files) process.stderr.write(describeFiles(ev.files) + '\n');
    if (json) {
      process.stdout.write(JSON.stringify(ev) + '\n');
      continue;
    }
    switch (ev.type) {
      case 'start':
        process.stderr.write(`training ${ev.params.toLocaleString('en')} parameters on ${ev.trainTokens.toLocaleString('en')} tokens (validation ${ev.valTokens.toLocaleString('en')}), batch ${ev.batchSize} × ${ev.seqLength}${ev.resumed ? `, resumed at step ${ev.step}` : ''}\n`);
        break;
      case 'step':
        if (tty) process.stderr.write('\r' + renderProgressLine(ev, lastVal, process.stderr.columns ?? 100));
        else process.stderr.write(`step ${ev.step}/${ev.maxSteps}: loss ${ev.loss.toFixed(4)}, ${Math.round(ev.charsPerSec)} chars/s, eta ${Math.round(ev.etaSec)}s\n`);
        break;
      case 'eval':
        lastVal = ev.valLoss;
        process.stderr.write(
          `${tty ? '\n' : ''}step ${ev.step}: validation loss ${ev.valLoss.toFixed(4)}${ev.bpc !== undefined ? ` (${ev.bpc.toFixed(3)} bpc)` : ` (perplexity ${ev.perplexity!.toFixed(1)})`}` +
            `${ev.score ? `, ${ev.score.name} ${(ev.score.value * 100).toFixed(1)}%` : ''}${ev.improved ? ' *best' : ''}\n`,
        );
        break;
      case 'sample':
        process.stderr.write(`${tty ? '\n' : ''}--- sample at step ${ev.step} ---\n${ev.text}\n---\n`);
        break;
      case 'warning':
        process.stderr.write(`${tty ? '\n' : ''}warning: ${ev.message}\n`);
        break;
      case 'checkpoint':
        break;
      case 'done':
        process.stderr.write(
          `${tty ? '\n' : ''}done at step ${ev.step} (${ev.reason}) in ${ev.elapsedSec.toFixed(1)} s; best validation loss ${ev.bestValLoss.toFixed(4)}` +
            `${ev.reason === 'stopped' ? '; continue with the same command and --resume' : ''}\n`,
        );
        break;
    }
  }
}

