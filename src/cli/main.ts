// storyteller: the command-line front end. Each subcommand lives in its own module; errors a user can act
// on are printed as one line without a stack trace.
import { UserError } from '../errors.ts';

const USAGE = `usage: storyteller <command> [options]

commands:
  start              open the story screen on the shipped model (prints a story when not on a terminal)
  tui                the terminal story screen (--model NAME|PATH)
  generate           write a story to stdout
  train              train a model on text files
  eval               score a model on a text (loss, bits per character, perplexity)
  info               describe a checkpoint
  strip              write a checkpoint without optimizer state
  card               print a model card (figures from the checkpoint, sample stories)
  corpus fetch|stats download Project Gutenberg books / corpus statistics
  demo NAME          long-dependency | gradients | prices | doug-jane-spot
  bench              training and sampling throughput (vs PyTorch when available)

Run "storyteller <command> --help" for the options of a command.
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./commands/train.ts')).trainCommand,
  generate: async () => (await import('./commands/generate.ts')).generateCommand,
  eval: async () => (await import('./commands/eval.ts')).evalCommand,
  info: async () => (await import('./commands/info.ts')).infoCommand,
  strip: async () => (await import('./commands/info.ts')).stripCommand,
  start: async () => (await import('./commands/start.ts')).startCommand,
  tui: async () => (await import('./commands/start.ts')).tuiCommand,
  corpus: async () => (await import('./commands/corpus.ts')).corpusCommand,
  bench: async () => (await import('./commands/bench.ts')).benchCommand,
  card: async () => (await import('./commands/card.ts')).cardCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    process.stderr.write(`storyteller: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`storyteller ${cmd}: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return 0;
    if (process.env.STORYTELLER_DEBUG) throw e;
    process.stderr.write(`storyteller ${cmd}: internal error: ${(e as Error)?.message ?? e} (set STORYTELLER_DEBUG=1 for details)\n`);
    return 70;
  }
}
