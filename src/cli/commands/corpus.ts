// `storyteller corpus fetch <ebook-number...>` and `storyteller corpus stats FILE|FOLDER...`: two
// subcommands described in one table, their flags parsed by args.ts like every other command's.
import { UserError } from '../../errors.ts';
import { DEFAULT_GUTENBERG_DIR, fetchGutenbergBook } from '../../corpus/fetch.ts';
import { corpusStats, formatStatsTable } from '../../corpus/stats.ts';
import { helpText, parseFlags, type Flags, type Parsed } from '../args.ts';

export interface CorpusIo {
  /** One line of output (stdout). */
  log: (line: string) => void;
}

const defaultIo: CorpusIo = { log: (line) => console.log(line) };

interface Subcommand {
  /** The usage line and what the subcommand does. */
  usage: string;
  flags: Flags;
  /** The error when no positional argument is given: what to give. */
  needs: string;
  run(positionals: string[], a: Parsed, io: CorpusIo): Promise<void>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  fetch: {
    usage: `storyteller corpus fetch <gutenberg-ebook-number...> [--out DIR] [--base-url URL]
      download Project Gutenberg ebooks, strip their header/footer and save them to DIR
      (default ${DEFAULT_GUTENBERG_DIR}), recording each in DIR/SOURCES.md`,
    flags: {
      out: { type: 'string', help: `folder the books are saved in (default: ${DEFAULT_GUTENBERG_DIR})` },
      'base-url': { type: 'string', help: 'Project Gutenberg mirror (default: $GUTENBERG_BASE_URL or https://www.gutenberg.org)' },
    },
    needs: 'fetch needs at least one Project Gutenberg ebook number, e.g. 11',
    async run(ids, a, io) {
      for (const id of ids) {
        const book = await fetchGutenbergBook(id, { outDir: a.out as string | undefined, baseUrl: a['base-url'] as string | undefined });
        io.log(`ebook ${book.ebook}: ${book.title || '(untitled)'} -> ${book.file} (${book.bytes} bytes)`);
      }
    },
  },
  stats: {
    usage: `storyteller corpus stats <file-or-folder...> [--json]
      bytes, characters, distinct characters, words and lines per file and in total
      (a folder means its .txt files; --json prints one JSON object per line)`,
    flags: { json: { type: 'boolean', help: 'one JSON object per file and one for the total' } },
    needs: 'stats needs at least one corpus file or folder, e.g. corpora/',
    async run(paths, a, io) {
      const stats = await corpusStats(paths);
      if (a.json) {
        for (const file of stats.files) io.log(JSON.stringify(file));
        io.log(JSON.stringify({ total: true, files: stats.files.length, ...stats.total }));
      } else {
        io.log(formatStatsTable(stats));
      }
    },
  },
};

export const CORPUS_USAGE = `usage:\n${Object.values(SUBCOMMANDS).map((s) => `  ${s.usage}`).join('\n')}`;

export async function corpusCommand(argv: string[], io: CorpusIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UserError('choose a subcommand, fetch or stats (see storyteller corpus --help)');
  if (name === '--help' || name === '-h' || name === 'help') {
    io.log(CORPUS_USAGE);
    return 0;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) throw new UserError(`unknown subcommand '${name}'; use fetch or stats`);
  const a = parseFlags(rest, sub.flags, true);
  if (a.help) {
    io.log(helpText(`usage: ${sub.usage}`, sub.flags).trimEnd());
    return 0;
  }
  if (a._.length === 0) throw new UserError(sub.needs);
  await sub.run(a._, a, io);
  return 0;
}
