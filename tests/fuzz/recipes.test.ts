// Fuzz: training recipes (train --config FILE.json). Every key a recipe may hold (data, out, name, init,
// selectBy, generate, fetch, books and the training options) with values of any JSON type, unknown keys,
// a recipe that is not an object. Property: exit 0-2 with one line on failure, never a stack trace, the
// recipe and its data unchanged. Seed and case count: tests/support/fuzz.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config.ts';
import { changedFiles, expectClean, fuzz, FUZZ_SUITE, hashTree } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { STORY } from './workspace.ts';

const anyJson = fc.oneof(
  { depthSize: 'small' },
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '', 'story.txt', ['story.txt'], 'runs/r.safetensors', 'char', 'word', 'lstm', 'long-dependency-accuracy', 'tales-char', ['..', '/'], [11]),
  fc.jsonValue({ maxDepth: 2 }),
);
// Good values for the options that size the work, so that many recipes train (for two steps) rather than
// stop at the first bad value.
const small = { hiddenSize: 8, embeddingSize: 8, layers: 1, maxSteps: 2, seqLength: 8, batchSize: 2, evalEvery: 1, evalTokens: 100, maxMinutes: 0.2 };
const KEYS = ['data', 'out', 'name', 'init', 'selectBy', 'generate', 'fetch', 'books', 'nonsense', ...Object.keys(DEFAULT_TRAIN_CONFIG)];
// A working recipe with one to three keys set to anything or removed: most cases get past the first check.
const recipe = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.option(anyJson, { freq: 6 })), { minLength: 1, maxLength: 3 }).map((edits) => {
    const r: Record<string, unknown> = { ...small, data: ['story.txt'], out: 'runs/r.safetensors' };
    for (const [k, v] of edits) if (v === null) delete r[k]; else r[k] = v;
    return r;
  }) },
  { weight: 1, arbitrary: anyJson },
);

describe('fuzzed recipes', FUZZ_SUITE, () => {
  it('train --config takes any JSON', async () => {
    const dir = scratchDir('fuzz-recipe');
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'story.txt'), STORY.repeat(20));
    await fuzz('recipes', recipe, 80, async (r) => {
      const file = path.join(dir, 'configs', 'r.json');
      writeFileSync(file, JSON.stringify(r) ?? 'null');
      const before = hashTree(file, path.join(dir, 'story.txt'));
      const argv = ['train', '--config', 'configs/r.json', '--force'];
      const res = await runInProcess(argv, dir);
      expectClean(res, [...argv, JSON.stringify(r).slice(0, 500)]);
      const changed = changedFiles(before, hashTree(file, path.join(dir, 'story.txt')));
      if (changed.length) throw new Error(`changed: ${changed.join(', ')}; recipe ${JSON.stringify(r)}`);
      return `exit ${res.code}`;
    });
  });
});
