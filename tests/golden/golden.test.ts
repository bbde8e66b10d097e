// Golden stories: what `storyteller generate` prints for the shipped models with a fixed seed (sampled) and
// greedily, byte for byte. Any change that alters every story for a seed (sampling, the RNG, numerics, the
// tokenizer, the output format) shows up here, and the fixture diff shows what changed.
//
// When the change is intended (a retrained model, a new sampler), regenerate the fixtures and review the diff:
//   UPDATE_GOLDEN=1 npx vitest run tests/golden
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: Array<{ model: string; prime: string; length: number }> = [
  { model: 'tales-char', prime: 'Once upon a time', length: 400 },
  { model: 'doug-jane-spot', prime: 'Doug saw', length: 60 },
  { model: 'tales-word', prime: 'The king', length: 80 },
];
const MODES = [
  { name: 'seed-42', flags: ['--seed', '42', '--temperature', '0.8'] },
  { name: 'greedy', flags: ['--seed', '1', '--temperature', '0'] },
];

describe('golden stories', () => {
  for (const c of CASES) {
    for (const mode of MODES) {
      it(`${c.model}, ${mode.name}: the same story byte for byte`, async () => {
        const argv = ['generate', '--checkpoint', c.model, '--prime', c.prime, '--length', String(c.length), ...mode.flags];
        const r = await runInProcess(argv, scratchDir('golden'));
        expect(r.code, r.stderr).toBe(0);
        const file = path.join(FIXTURES, `${c.model}.${mode.name}.txt`);
        if (UPDATE) {
          mkdirSync(FIXTURES, { recursive: true });
          writeFileSync(file, r.stdout);
        }
        if (!existsSync(file)) throw new Error(`${file} is missing: create it with UPDATE_GOLDEN=1 npx vitest run tests/golden`);
        // Compared as text, so a failure shows a readable diff of the two stories.
        expect(r.stdout, `storyteller ${argv.join(' ')} no longer prints ${path.relative(process.cwd(), file)}`).toBe(readFileSync(file, 'utf8'));
        expect(r.stdout.startsWith(c.prime), 'the story starts with its prompt').toBe(true);
        expect(r.stdout.length, 'the story goes past its prompt').toBeGreaterThan(c.prime.length + 20);
      });
    }
  }
});
