// storyteller start (npm start): the story screen on the shipped model; without a terminal, one story on stdout.
import { UserError } from '../../errors.ts';
import { generate } from '../../generation/generator.ts';
import { unknownNotes } from './generate.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { STORY_FLAGS, storySettings } from '../story-flags.ts';
import { importTui, TUI_MISSING } from '../terminal-ui.ts';
import { DEFAULT_MODEL, loadModel, MODELS_DIR } from '../../models.ts';

const FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  ...STORY_FLAGS,
  seed: { type: 'string', help: 'seed (random when absent)' },
};

export async function startCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller start [--checkpoint NAME|PATH] [--prime TEXT] [--seed S]', FLAGS));
    return 0;
  }
  if (process.stdout.isTTY && process.stdin.isTTY) {
    try {
      return await tuiCommand(argv);
    } catch (e) {
      // Installed as a library without ink and react: tell the story as in a pipe, and say why.
      if (!(e instanceof UserError && e.message === TUI_MISSING)) throw e;
      process.stderr.write(`note: ${TUI_MISSING}\n`);
    }
  }
  const lm = await loadModel(a.checkpoint as string);
  let seed = '';
  let primeText = '';
  let text = '';
  const options = { ...storySettings(a), seed: a.seed as string | undefined };
  for (const ev of generate(lm, options)) {
    if (ev.type === 'start') {
      ({ seed, primeText } = ev);
      // As generate says them: a replaced or skipped prompt character is not silently changed.
      for (const line of unknownNotes(ev.unknown.actions)) process.stderr.write(line + '\n');
    } else if (ev.type === 'end') text = ev.text; // the end event's text is after any cut
  }
  process.stdout.write(`${primeText}${text.trimEnd()}\n`);
  // Everything `storyteller generate` needs to write this very story again.
  process.stderr.write(`(model ${lm.name}, seed ${seed}, temperature ${a.temperature}, top-p ${a['top-p']})\n`);
  return 0;
}

export async function tuiCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller tui [--checkpoint NAME|PATH] [--prime TEXT] [--seed S]', FLAGS));
    return 0;
  }
  if (!process.stdin.isTTY) throw new UserError('the story screen needs a terminal; use "storyteller generate" in scripts');
  // Raw at once: keys typed while the screen loads wait for it instead of being echoed over the terminal.
  process.stdin.setRawMode(true);
  const [{ runStoryTui }, { createStoryEngine }] = await Promise.all([importTui(() => import('../../tui/story-app.tsx')), import('../../generation/worker-engine.ts')]).catch(
    (e: unknown) => {
      process.stdin.setRawMode(false);
      throw e;
    },
  );
  const engine = createStoryEngine({ modelsDir: MODELS_DIR });
  try {
    return await runStoryTui({
      engine,
      model: a.checkpoint as string,
      modelsDir: MODELS_DIR,
      ...storySettings(a),
      seed: a.seed as string | undefined,
    });
  } finally {
    process.stdin.setRawMode(false);
    await engine.close();
  }
}
