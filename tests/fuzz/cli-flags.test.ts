// Fuzz: generated command lines for every command, run in-process in a scratch workspace. Property: exit
// 0, 1 or 2; a failure is one line on stderr; never a stack trace or "internal error"; no input changed
// (neither the files the command line names as inputs nor the project's models/, configs/, corpora/).
// Seed and case count: see tests/support/fuzz.ts (FUZZ_SEED, FUZZ_RUNS).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { changedFiles, expectClean, fuzz, FUZZ_SUITE, hashTree } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { COMMANDS, commandLine, discoverFlags, inputsOf, text } from './flag-vectors.ts';
import { makeWorkspace, type Workspace } from './workspace.ts';
import fc from 'fast-check';

const PROJECT_INPUTS = ['models', 'configs', 'corpora'].map((d) => path.join(ROOT, d));
let ws: Workspace;
let before: Map<string, string>;

beforeAll(() => {
  ws = makeWorkspace();
  before = hashTree(...PROJECT_INPUTS);
});

afterAll(() => {
  expect(changedFiles(before, hashTree(...PROJECT_INPUTS)), 'the project\'s shipped files changed').toEqual([]);
});

const norm = (p: string) => path.normalize(p).replace(/\/$/, '');

async function runCase(argv: string[], inputs: string[]) {
  const r = await runInProcess(argv, ws.dir);
  const changed = ws.restore();
  expectClean(r, argv);
  const hit = changed.filter((f) => inputs.some((i) => norm(i) === '.' || f === norm(i) || f.startsWith(norm(i) + '/')));
  if (hit.length) throw new Error(`input file(s) changed: ${hit.join(', ')}\nargv: ${JSON.stringify(argv)}`);
  return `exit ${r.code}`;
}

describe('fuzzed command lines', FUZZ_SUITE, () => {
  for (const spec of COMMANDS) {
    const name = spec.words.join(' ');
    const runs = spec.words[0] === 'train' ? 40 : spec.words[0] === 'demo' || spec.words[0] === 'card' ? 25 : 60;
    it(`${name}: any flags give exit 0-2, one line on failure, unchanged inputs`, async () => {
      const flags = await discoverFlags(spec.words, ws.dir);
      expect(flags.size, `${name} --help lists its flags`).toBeGreaterThan(0);
      const examples = (spec.examples ?? []).map((e) => [...spec.words, ...spec.pins, ...e, ...(spec.tail ?? [])]);
      await fuzz(name, commandLine(spec, flags), runs, (argv) => runCase(argv, inputsOf(argv, spec)), examples);
    });
  }

  it('unknown commands and top-level junk', async () => {
    await fuzz('top level', fc.array(text, { maxLength: 3 }), 60, (argv) => runCase(argv, []), [['\r'], ['constructor'], ['__proto__', '--help'], ['toString']]);
  });
});
