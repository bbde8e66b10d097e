// Flag parsing shared by every storyteller subcommand and the bot's launchers (npm run bot,
// deploy-commands): every flag is declared once with its type, default and help, values are converted and
// checked, and unknown flags are errors, in one wording everywhere. It imports nothing but errors.ts, so
// any front end may use it without depending on the rest of the CLI.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';

export interface FlagSpec {
  type: 'string' | 'number' | 'boolean' | 'int';
  help: string;
  default?: string | number | boolean;
  multiple?: boolean;
  choices?: readonly string[];
  short?: string;
  /** A second long name for the same flag (e.g. --model for --checkpoint); help shows it beside the name. */
  alias?: string;
}

export type Flags = Record<string, FlagSpec>;
export type Parsed = Record<string, string | number | boolean | string[] | undefined> & { _: string[] };

export function parseFlags(argv: string[], flags: Flags, allowPositionals = false): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(flags)) {
    options[name] = { type: f.type === 'boolean' ? 'boolean' : 'string', ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) };
    if (f.type === 'boolean') options[`no-${name}`] = { type: 'boolean' };
    if (f.alias) options[f.alias] = { type: options[name].type, ...(f.multiple ? { multiple: true } : {}) };
  }
  let res;
  try {
    res = parseArgs({ args: attachDashedValues(argv, options), options, strict: true, allowPositionals: true });
  } catch (e) {
    const m = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(m);
    if (ambiguous) throw new UserError(`${ambiguous[1]} needs a value`);
    // Node's wording differs with where the value is missing; one wording for each problem.
    const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(m);
    if (missing) throw new UserError(`${missing[1]} needs a value`);
    const noValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(m);
    if (noValue) throw new UserError(`${noValue[1]} takes no value`);
    throw new UserError(m.replace(/^Unknown option '(.*)'$/, "unknown flag $1 (see --help)"));
  }
  if (!allowPositionals && res.positionals.length) throw new UserError(`unexpected argument ${JSON.stringify(res.positionals[0])} (see --help)`);
  const out: Parsed = { _: res.positionals };
  if (res.values.help) out.help = true;
  for (const [name, f] of Object.entries(flags)) {
    if (f.alias && res.values[f.alias] !== undefined && res.values[name] !== undefined) throw new UserError(`--${f.alias} and --${name} are one flag; give it once`);
    const given = f.alias && res.values[f.alias] !== undefined ? res.values[f.alias] : res.values[name];
    const raw = (res.values[`no-${name}`] ? false : given) as string | boolean | string[] | undefined;
    if (raw === undefined) {
      out[name] = f.default;
      continue;
    }
    if (f.type === 'boolean' || f.multiple) {
      out[name] = raw;
      continue;
    }
    const s = raw as string;
    if (f.type === 'number' || f.type === 'int') {
      const n = Number(s);
      if (s.trim() === '' || !Number.isFinite(n)) throw new UserError(`--${name} must be a number (got ${JSON.stringify(s)})`);
      if (f.type === 'int' && !Number.isInteger(n)) throw new UserError(`--${name} must be a whole number (got ${s})`);
      out[name] = n;
    } else {
      if (f.choices && !f.choices.includes(s)) throw new UserError(`--${name} must be one of ${f.choices.join(', ')} (got ${JSON.stringify(s)})`);
      out[name] = s;
    }
  }
  return out;
}

/**
 * `--prime "-Hello"` and `--length -5`: a value that starts with a dash but is not one of the command's
 * options is the value of the flag before it (parseArgs would call it ambiguous). `--prime --length 5`
 * stays an error: --length is an option, so --prime has no value.
 */
function attachDashedValues(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): string[] {
  const isOption = (arg: string) => {
    const name = arg.replace(/=.*$/s, '');
    if (name.startsWith('--')) return name === '--' || name.slice(2) in options;
    return name.length === 2 && Object.values(options).some((o) => o.short === name[1]);
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const flag = /^--([^=]+)$/.exec(arg)?.[1];
    const next = argv[i + 1];
    if (flag && options[flag]?.type === 'string' && next !== undefined && next.startsWith('-') && next !== '-' && !isOption(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** --checkpoint (alias --model): the model a command reads, by name in models/ or as a path. */
export function checkpointFlag(defaultModel?: string, help = 'model name in models/ or a .safetensors path'): FlagSpec {
  return { type: 'string', help, alias: 'model', ...(defaultModel === undefined ? {} : { default: defaultModel }) };
}

export function helpText(usage: string, flags: Flags): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const arg = f.type === 'boolean' ? (f.default === true ? ` (--no-${name} to turn off)` : '') : f.choices ? ` ${f.choices.join('|')}` : f.type === 'string' ? ' VALUE' : ' N';
    const def = f.default === undefined ? '' : ` (default: ${f.default})`;
    return [`  --${name}${arg}`, `${f.help}${def}${f.alias ? ` (also --${f.alias})` : ''}`];
  });
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return `${usage}\n\n${rows.map(([a, b]) => a.padEnd(w) + b).join('\n')}\n  --help${' '.repeat(Math.max(1, w - 8))}show this help\n`;
}
