// Shared pieces of the fuzz tests (tests/fuzz): the seed and case count, the property every CLI run must
// hold, and file hashes to prove inputs are left alone.
//
// A fixed seed makes CI reproducible; FUZZ_SEED=n tries another part of the input space and FUZZ_RUNS=n
// sets the number of cases of every property (e.g. FUZZ_SEED=$RANDOM FUZZ_RUNS=2000 npx vitest run tests/fuzz).
// A failure prints its seed, path and the input, so it can be replayed. FUZZ_TRACE=FILE appends every input
// to FILE before it runs: the way to find a case that kills the worker (out of memory, a hang).
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { CliResult } from './in-process-cli.ts';

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261201;

/** fast-check parameters for one property: `runs` cases unless FUZZ_RUNS overrides it. */
export function fuzzParams(runs: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: FUZZ_SEED, numRuns: process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : runs, endOnFailure: true };
}

/** Runs an async property and prints how many cases it generated (shown in the test output). */
export async function fuzz<T>(name: string, arb: fc.Arbitrary<T>, runs: number, check: (input: T) => Promise<unknown>, examples: T[] = []): Promise<number> {
  let cases = 0;
  // What the cases ended in (the check may return a label, e.g. the exit status): shows the fuzz reaches past
  // flag parsing rather than failing every case at the first check.
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      cases++;
      if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${name}: ${fc.stringify(input).slice(0, 2000)}\n`);
      const outcome = await check(input);
      if (outcome !== undefined) outcomes.set(String(outcome), (outcomes.get(String(outcome)) ?? 0) + 1);
    }),
    // Inputs that once broke the property run first, every time.
    { ...fuzzParams(runs), examples: examples.map((e) => [e] as [T]) },
  );
  const tally = [...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(`fuzz: ${name}: ${cases} cases (seed ${FUZZ_SEED})${tally ? `; ${tally}` : ''}`);
  return cases;
}

const STACK_LINE = /^\s+at .+(?::\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const ERROR_NAME = /^(?:[A-Z]\w*)?Error(?: \[\w+\])?: /m;
// Control characters other than newline and tab: an error message that echoes them can move the cursor,
// clear the screen or split one line into several. (Notes on success may echo what the user typed.)
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/**
 * What is wrong with a CLI run, or '' when it is fine: exit 0, 1 or 2; never a stack trace or an
 * "internal error"; a failure ends with one line on stderr that names the program; no raw control
 * characters on stderr.
 */
export function problemsOf(r: CliResult & { leakedHandlers?: number }): string {
  const p: string[] = [];
  if (![0, 1, 2].includes(r.code)) p.push(`exit status ${r.code}`);
  if (STACK_LINE.test(r.stderr) || ERROR_NAME.test(r.stderr) || r.stderr.includes('(escaped main)')) p.push('a stack trace or raw error on stderr');
  if (/internal error/i.test(r.stderr)) p.push('"internal error"');
  if (r.code !== 0) {
    const last = r.stderr.replace(/\n$/, '').split('\n').at(-1) ?? '';
    if (CONTROL.test(last)) p.push('raw control characters in the error message');
    if (/\.\d+\.[0-9a-f]+\.tmp\b/.test(last)) p.push('the error names an internal temporary file, not the one the user gave');
    if (r.code === 1 && !/^storyteller\b.+/.test(last)) p.push(`the last stderr line is not a one-line error (${JSON.stringify(last.slice(0, 200))})`);
  }
  if (r.code === 2 && !r.stderr.trim() && !/usage:/.test(r.stdout)) p.push('exit 2 without a message or usage');
  if (r.leakedHandlers) p.push(`${r.leakedHandlers} signal handler(s) left installed`);
  return p.join('; ');
}

/** Fails with the input and the output when a run breaks the property. */
export function expectClean(r: CliResult, argv: string[]): void {
  const problems = problemsOf(r);
  if (problems) {
    throw new Error(`${problems}\nargv: ${JSON.stringify(argv).slice(0, 2000)}\nexit: ${r.code}\nstderr: ${r.stderr.slice(-3000)}`);
  }
}

/** sha256 of every file under `paths` (files or folders), keyed by path. */
export function hashTree(...paths: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const f of readdirSync(p)) visit(path.join(p, f));
    else if (st.isFile()) out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
  };
  for (const p of paths) visit(p);
  return out;
}

/** The files whose content changed or that vanished between two hashTree() snapshots. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([f, h]) => after.get(f) !== h).map(([f]) => f);
}

/** Suite options of the fuzz tests: FUZZ_RUNS may make a property run for minutes, not the usual one. */
export const FUZZ_SUITE = { timeout: 900_000 };
