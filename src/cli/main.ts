// storyteller: the command-line front end. Each subcommand lives in its own module; errors a user can act
// on are printed as one line without a stack trace.
import { UserError } from '../errors.ts';
import { handleClosedOutput } from './pipes.ts';

const USAGE = `usage: storyteller <command> [options]

commands:
  start              open the story screen on the shipped model (prints a story when not on a terminal)
  tui                the terminal story screen (--checkpoint NAME|PATH)
  generate           write a story to stdout
  train              train a model on text files
  eval               score a model on a text (loss, bits per character, perplexity)
  info               describe a checkpoint
  strip              write a checkpoint without optimizer state
  card               print a model card (figures from the checkpoint, sample stories)
  stories            write 100 stories and measure them: endings, lengths, real words, repetition
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
  stories: async () => (await import('./commands/stories.ts')).storiesCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    process.stderr.write(`storyteller: unknown command ${oneLine(JSON.stringify(cmd))} (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  handleClosedOutput();
  try {
    return await (await load())(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`storyteller ${cmd}: ${oneLine(e.message)}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return 0;
    if (process.env.STORYTELLER_DEBUG) throw e;
    const fsProblem = fileSystemProblem(e);
    if (fsProblem) {
      process.stderr.write(`storyteller ${cmd}: ${oneLine(fsProblem)}\n`);
      return 1;
    }
    process.stderr.write(`storyteller ${cmd}: internal error: ${oneLine(String((e as Error)?.message ?? e))} (set STORYTELLER_DEBUG=1 for details)\n`);
    return 70;
  }
}

/**
 * The message as one printable line: a newline or control character from a file name or argument would
 * split it or move the terminal's cursor, so they are shown escaped.
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

// What the user can do something about: the path they gave is missing, a folder, not writable, too long…
const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
  EXDEV: 'cannot move across file systems',
};

/** A one-line description of a file-system error from Node ("PATH: problem"), or undefined for anything else. */
export function fileSystemProblem(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const problem = typeof err?.code === 'string' ? FS_PROBLEMS[err.code] : undefined;
  if (!problem || typeof err.syscall !== 'string') return undefined;
  // A rename's destination is the file the user named; its source, like any FILE.PID.HEX.tmp, is the
  // atomic writer's temporary file (src/atomic-write.ts), which the user never named.
  const file = (err.syscall === 'rename' && err.dest ? err.dest : err.path)?.replace(/\.\d+\.[0-9a-f]+\.tmp$/, '');
  return file ? `${file}: ${problem}` : problem;
}
