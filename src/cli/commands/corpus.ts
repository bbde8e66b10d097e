// `storyteller corpus fetch <ebook-number...>` and `storyteller corpus stats FILE|FOLDER...`.
import { parseArgs } from 'node:util';
import { UserError } from '../../errors.ts';
import { fetchGutenbergBook } from '../../corpus/fetch.ts';
import { corpusStats, formatStatsTable } from '../../corpus/stats.ts';

export const CORPUS_USAGE = `usage:
  storyteller corpus fetch <gutenberg-ebook-number...> [--out DIR] [--base-url URL]
      download Project Gutenberg ebooks, strip their header/footer and save them to DIR
      (default corpora/gutenberg), recording each in DIR/SOURCES.md
  storyteller corpus stats <file-or-folder...> [--json]
      bytes, characters, distinct characters, words and lines per file and in total
      (a folder means its .txt files; --json prints one JSON object per line)`;

export interface CorpusIo {
  /** One line of output (stdout). */
  log: (line: string) => void;
}

const defaultIo: CorpusIo = { log: (line) => console.log(line) };

/** Runs a strict parseArgs call, turning its errors (unknown flag, missing value) into one-line UserErrors (main() adds the command's name). */
function parse<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    // Node adds a second sentence about '--' that only confuses here; keep the first.
    const message = (error as Error).message.split(/\.(?:\s|$)/)[0]!;
    throw new UserError(`${command}: ${message} (see storyteller corpus --help)`);
  }
}

async function fetchCommand(args: string[], io: CorpusIo): Promise<number> {
  const { values, positionals } = parse('fetch', () =>
    parseArgs({
      args,
      options: { out: { type: 'string' }, 'base-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.log(CORPUS_USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UserError('fetch: give at least one Project Gutenberg ebook number, e.g. 11');
  }
  for (const id of positionals) {
    const book = await fetchGutenbergBook(id, {
      outDir: values.out,
      baseUrl: values['base-url'],
    });
    io.log(`ebook ${book.ebook}: ${book.title || '(untitled)'} -> ${book.file} (${book.bytes} bytes)`);
  }
  return 0;
}

async function statsCommand(args: string[], io: CorpusIo): Promise<number> {
  const { values, positionals } = parse('stats', () =>
    parseArgs({
      args,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.log(CORPUS_USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UserError('stats: name at least one corpus file or folder, e.g. corpora/');
  }
  const stats = await corpusStats(positionals);
  if (values.json) {
    for (const file of stats.files) io.log(JSON.stringify(file));
    io.log(JSON.stringify({ total: true, files: stats.files.length, ...stats.total }));
  } else {
    io.log(formatStatsTable(stats));
  }
  return 0;
}

export async function corpusCommand(argv: string[], io: CorpusIo = defaultIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'fetch':
      return fetchCommand(rest, io);
    case 'stats':
      return statsCommand(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.log(CORPUS_USAGE);
      return 0;
    case undefined:
      throw new UserError('choose a subcommand, fetch or stats (see storyteller corpus --help)');
    default:
      throw new UserError(`unknown subcommand '${sub}'; use fetch or stats`);
  }
}
