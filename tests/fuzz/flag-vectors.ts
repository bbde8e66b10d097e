// Generated command lines for every CLI command: its real flags (read from its --help, so a new flag is
// fuzzed without touching this file) with good, bad and hostile values, unknown flags, flags missing
// their value, repeated flags and stray arguments.
import fc from 'fast-check';
import { runInProcess } from '../support/in-process-cli.ts';

export type FlagKind = 'boolean' | 'number' | 'string' | { choices: string[] };
export interface CommandSpec {
  /** The words before the flags, e.g. ['demo', 'prices']. */
  words: string[];
  /** Flags put before the generated ones: they bound the work (later generated values still override). */
  pins: string[];
  /** Flags put after the generated ones, so they always win (e.g. keep `bench` from running). */
  tail?: string[];
  /** Flags the fuzzer must not use in-process (e.g. demo --train: ten minutes of training). */
  exclude?: string[];
  positionals?: fc.Arbitrary<string>;
  /** Flags (after the pins) that once broke the property: always run first. */
  examples?: string[][];
}

const FAST_MODEL = 'model.safetensors'; // a copy of models/doug-jane-spot in the workspace
const LONG = 'x'.repeat(300); // longer than a file name may be (ENAMETOOLONG)

export const COMMANDS: CommandSpec[] = [
  { words: ['generate'], pins: ['--checkpoint', FAST_MODEL, '--length', '20'], examples: [['--gates-json', FAST_MODEL], ['--gates-svg', 'model'], ['--gates-json', LONG]] },
  { words: ['start'], pins: ['--checkpoint', FAST_MODEL, '--length', '20'] },
  { words: ['tui'], pins: [] },
  { words: ['eval'], pins: ['--checkpoint', FAST_MODEL, '--data', 'story.txt'] },
  { words: ['info'], pins: ['--checkpoint', FAST_MODEL] },
  { words: ['strip'], pins: ['--checkpoint', FAST_MODEL, '--out', 'out.safetensors'], examples: [['--checkpoint', FAST_MODEL, '--out', 'stories'], ['--checkpoint', FAST_MODEL, '--out', 'nope/x.safetensors'], ['--checkpoint', FAST_MODEL]] },
  { words: ['card'], pins: ['--checkpoint', FAST_MODEL, '--length', '10', '--seeds', '1'] },
  {
    words: ['train'],
    examples: [['--out', 'story.txt'], ['--out', 'runs'], ['--out', 'runs/'], ['--data', 'binary.dat', '--out', 'runs/b.safetensors']],
    pins: ['--data', 'story.txt', '--out', 'runs/fuzz.safetensors', '--hidden-size', '8', '--embedding-size', '8', '--layers', '1', '--max-steps', '2', '--seq-length', '8', '--batch-size', '2', '--eval-every', '1', '--eval-tokens', '100', '--max-minutes', '0.2', '--log-every', '1'],
  },
  // Measuring throughput takes minutes: only the parsing is fuzzed (an invalid thread count always ends it).
  { words: ['bench'], pins: [], tail: ['--threads=0'] },
  { words: ['demo', 'long-dependency'], pins: ['--per-bucket', '1', '--models', 'long-dep-rnn'], exclude: ['train'], examples: [['--models', 'doug-jane-spot']] },
  { words: ['demo', 'gradients'], pins: ['--per-gap', '1', '--models', 'long-dep-rnn'], examples: [['--models', 'doug-jane-spot']] },
  { words: ['demo', 'prices'], pins: ['--steps', '3'] },
  { words: ['demo', 'doug-jane-spot'], pins: ['--checkpoint', FAST_MODEL, '--sentences', '3'] },
  { words: ['corpus', 'stats'], pins: [], positionals: fc.constantFrom('story.txt', 'stories', 'empty.txt', 'binary.dat', 'latin1.txt', 'nope.txt', 'model.safetensors', '.', '') },
  // Loopback port 9 (discard) refuses at once: the fetch path fails without the network.
  { words: ['corpus', 'fetch'], pins: [], tail: ['--base-url', 'http://127.0.0.1:9'], positionals: fc.constantFrom('11', '0', '-5', 'abc', '1e3', '99999999999', '') },
];

/** A command's flags and their kinds, parsed from its --help text. */
export async function discoverFlags(words: string[], cwd: string): Promise<Map<string, FlagKind>> {
  const r = await runInProcess([...words, '--help'], cwd);
  const flags = new Map<string, FlagKind>();
  for (const line of (r.stdout + r.stderr).split('\n')) {
    const m = /^\s+--([\w-]+)((?: \S+)?)(?:\s{2,}|$)/.exec(line);
    if (!m || m[1] === 'help') continue;
    const arg = m[2].trim();
    if (arg === 'N') flags.set(m[1], 'number');
    else if (arg === 'VALUE') flags.set(m[1], 'string');
    else if (/^[\w-]+(\|[\w-]+)+$/.test(arg)) flags.set(m[1], { choices: arg.split('|') });
    else if (arg.startsWith('<') || arg === 'DIR' || arg === 'URL') flags.set(m[1], 'string');
    else flags.set(m[1], 'boolean');
  }
  // corpus's usage text lists its flags inline: "[--out DIR] [--base-url URL]", "[--json]".
  for (const m of (r.stdout + r.stderr).matchAll(/\[--([\w-]+)(?: ([A-Z]+))?\]/g)) if (m[1] !== 'help' && !flags.has(m[1])) flags.set(m[1], m[2] ? 'string' : 'boolean');
  return flags;
}

// Flags that size the work: valid values stay small so every case ends in well under a second.
const BUDGET = new Set(['length', 'max-steps', 'hidden-size', 'embedding-size', 'layers', 'seq-length', 'batch-size', 'eval-every', 'eval-tokens', 'log-every', 'sample-every', 'checkpoint-every', 'max-vocab', 'sentences', 'per-bucket', 'per-gap', 'streams', 'stream-episodes', 'steps', 'budget', 'threads', 'max-minutes', 'tune-steps', 'patience', 'lr-decay-every']);
const INPUT_PATHS = new Set(['checkpoint', 'model', 'data', 'init', 'config', 'models', 'books']);
const REPEATABLE = new Set(['data', 'books']);
const OUTPUT_PATHS = new Set(['out', 'gates-json', 'gates-svg', 'train-dir', 'heatmaps']);

const badNumbers = ['', ' ', 'abc', 'NaN', 'Infinity', '-Infinity', '1e309', '-1', '0', '-0', '0.5', '-0.5', '1e-320', '0x10', '1_000', '12abc', '+3', '.5', '5.', '1/2', '١٢', '3 ', '−1'];
const bigNumbers = ['1e3', '99999999999999999999', '1.7976931348623157e308', '-1e308', '4097', '65536', '2147483648'];
export const inputPath = fc.constantFrom(
  'story.txt', 'stories', 'stories/', 'empty.txt', 'binary.dat', 'latin1.txt', FAST_MODEL, 'truncated.safetensors',
  'configs/tiny.json', 'configs/bad.json', 'configs/odd.json', 'nope.txt', 'runs', '.', '/', '/dev/null', 'doug-jane-spot',
  'tales-char', 'long-dep-rnn', 'no-such-model', LONG, '', ' ', '-', 'story.txt/x', '~/story.txt', 'ünïcødé.txt', 'a,b',
);
export const outputPath = fc.constantFrom(
  'out.safetensors', 'runs/x.safetensors', 'runs', 'runs/', '.', 'story.txt', FAST_MODEL, 'configs/tiny.json',
  'new/deeper/x.safetensors', `${LONG}.safetensors`, '', 'pic', 'empty.txt/x', 'binary.dat', 'stories',
);
/** Any text a shell could pass (no NUL: argv cannot hold one), including lone surrogates and controls. */
export const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/\0/g, '')),
  fc.constantFrom('', '-', '--', '-1', '--help', '-h', '\x1b[2J\x1b[H', '\u202eevil', 'a\nb', '\r', '\ud800', 'Doug saw', '=', '--prime'),
);

function valueFor(name: string, kind: FlagKind): fc.Arbitrary<string> {
  if (typeof kind === 'object') return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...kind.choices) }, { weight: 1, arbitrary: text }, fc.constantFrom(...kind.choices.map((c) => c.toUpperCase()), ''));
  if (kind === 'number') {
    const small = fc.integer({ min: -3, max: 12 }).map(String);
    return BUDGET.has(name)
      ? fc.oneof({ weight: 3, arbitrary: small }, fc.constantFrom(...badNumbers))
      : fc.oneof({ weight: 3, arbitrary: small }, fc.constantFrom(...badNumbers, ...bigNumbers), fc.double().map(String), text);
  }
  if (INPUT_PATHS.has(name)) return fc.oneof({ weight: 4, arbitrary: inputPath }, { weight: 1, arbitrary: text.filter((s) => !s.includes('/')) });
  if (OUTPUT_PATHS.has(name)) return outputPath;
  return text;
}

/** One command line for `spec` (flags known from its help); the file paths are relative to the workspace. */
export function commandLine(spec: CommandSpec, flags: Map<string, FlagKind>): fc.Arbitrary<string[]> {
  const names = [...flags.keys()].filter((n) => !spec.exclude?.includes(n));
  const item: fc.Arbitrary<string[]> = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...names).chain((n): fc.Arbitrary<string[]> => {
      const kind = flags.get(n)!;
      if (kind === 'boolean') return fc.oneof({ weight: 6, arbitrary: fc.constantFrom<string[]>([`--${n}`], [`--no-${n}`]) }, fc.constantFrom<string[]>([`--${n}=true`], [`--${n}`, 'yes']));
      return fc.tuple(valueFor(n, kind), fc.boolean()).map(([v, eq]) => (eq ? [`--${n}=${v}`] : [`--${n}`, v]));
    }) },
    // A flag without its value (at the end, or followed by another flag).
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => [`--${n}`]) },
    // Unknown flags: typos of real ones and made-up ones.
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...names).map((n) => [`--${n.slice(0, -1) || 'x'}`]), fc.stringMatching(/^--?[a-zA-Z][\w-]{0,12}$/).map((s) => [s]), fc.constantFrom<string[]>(['-x'], ['-'], ['--'], ['---'], ['--=1'], ['-h'])) },
    // Stray arguments.
    { weight: 1, arbitrary: (spec.positionals ?? text).map((s) => [s]) },
  );
  const count = { minLength: 0, maxLength: 4 };
  return fc.tuple(fc.array(item, count), spec.positionals ? fc.array(spec.positionals, { maxLength: 2 }) : fc.constant([])).map(([items, pos]) => [
    ...spec.words,
    ...spec.pins,
    ...pos,
    ...items.flat(),
    ...(spec.tail ?? []),
  ]);
}

/**
 * Workspace-relative paths the command line names as inputs: these must never change. (Outputs the user
 * named may be replaced, unless the same file is also an input: `train --data x --out x`.)
 */
export function inputsOf(argv: string[], spec: CommandSpec): string[] {
  const byFlag = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m || !INPUT_PATHS.has(m[1])) continue;
    const v = m[2] ?? argv[i + 1];
    if (v === undefined) continue;
    // A repeated flag: the last value counts, except for the flags that collect every value.
    byFlag.set(m[1], [...(REPEATABLE.has(m[1]) ? (byFlag.get(m[1]) ?? []) : []), ...v.split(',')]);
  }
  const out = [...byFlag.values()].flat();
  if (spec.positionals) out.push(...argv.slice(spec.words.length).filter((a) => !a.startsWith('-')));
  return out.filter(Boolean);
}
