// The storyteller command line: the contract users and scripts rely on.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { storyteller } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';

const dir = scratchDir('cli');
const corpus = path.join(dir, 'story.txt');
const model = path.join(dir, 'tiny.safetensors');

/** A one-line message, no stack trace. */
function expectCleanError(r: { code: number | null; stderr: string }, message: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  writeFileSync(corpus, 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(30));
  const r = storyteller(['train', '--data', corpus, '--out', model, '--max-steps', '60', '--layers', '1', '--hidden-size', '24', '--embedding-size', '8', '--batch-size', '4', '--seq-length', '16', '--eval-every', '30', '--json']);
  expect(r.code, r.stderr).toBe(0);
});

describe('storyteller train', () => {
  it('prints one NDJSON object per event with --json', () => {
    const out = path.join(dir, 'j.safetensors');
    const r = storyteller(['train', '--data', corpus, '--out', out, '--max-steps', '20', '--log-every', '10', '--eval-every', '10', '--hidden-size', '8', '--layers', '1', '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual([10, 20]);
    expect(events.at(-1)).toMatchObject({ type: 'done', step: 20 });
  });
  it('lists every flag with its default in --help', () => {
    const r = storyteller(['train', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--data', '--out', '--max-steps', '--max-minutes', '--config', '--level', '--cell', '--layers', '--hidden-size', '--embedding-size', '--dropout', '--seq-length', '--batch-size', '--lr', '--grad-clip', '--eval-every', '--patience', '--resume', '--json']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/--lr N\s+learning rate \(default: 0\.002\)/);
  });
  it('rejects an unknown flag', () => expectCleanError(storyteller(['train', '--bogus']), /unknown flag --bogus/));
  it('rejects negative sizes', () => expectCleanError(storyteller(['train', '--data', corpus, '--out', path.join(dir, 'n.safetensors'), '--hidden-size=-3']), /--hidden-size must be/));
  it('rejects a missing data file', () => expectCleanError(storyteller(['train', '--data', path.join(dir, 'nope.txt'), '--out', path.join(dir, 'n.safetensors')]), /nope\.txt: no such file/));
  it('rejects an empty corpus', () => {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    expectCleanError(storyteller(['train', '--data', empty, '--out', path.join(dir, 'n.safetensors')]), /corpus is empty/);
  });
  it('rejects a non-numeric value', () => expectCleanError(storyteller(['train', '--data', corpus, '--out', model, '--lr', 'fast']), /--lr must be a number/));
  it('rejects an unknown selection score', () =>
    expectCleanError(storyteller(['train', '--data', corpus, '--out', path.join(dir, 'n.safetensors'), '--select-by', 'vibes']), /unknown selection score "vibes" \(known: long-dependency-accuracy[,)]/));
  it('rejects a recipe that asks for a corpus generator it does not have', () => {
    const recipe = path.join(dir, 'gen.json');
    writeFileSync(recipe, JSON.stringify({ generate: 'moon-stories', data: ['moon.txt'], out: 'moon.safetensors' }));
    expectCleanError(storyteller(['train', '--config', recipe]), /unknown "generate" corpus "moon-stories" \(known: long-dependency-large[,)]/);
  });
});

describe('storyteller generate', () => {
  it('prints the same story for the same seed, and only the story on stdout', () => {
    const args = ['generate', '--checkpoint', model, '--prime', 'Doug', '--length', '50', '--seed', '7', '--temperature', '0.9'];
    const a = storyteller(args);
    const b = storyteller(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.startsWith('Doug')).toBe(true);
    expect(a.stderr).toContain('seed: 7');
    expect(a.stdout).not.toContain('seed');
  });
  it('reports unknown prompt characters under --unknown error', () =>
    expectCleanError(storyteller(['generate', '--checkpoint', model, '--prime', 'Zoë', '--unknown', 'error']), /unknown characters "Z", "ë"/));
  it('replaces unknown characters by default and says so on stderr', () => {
    const r = storyteller(['generate', '--checkpoint', model, '--prime', 'Jané', '--length', '5', '--seed', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('Jane')).toBe(true);
    expect(r.stderr).toMatch(/"é" is not in the vocabulary; replaced by "e"/);
  });
  it('names a missing checkpoint', () => expectCleanError(storyteller(['generate', '--checkpoint', path.join(dir, 'missing.safetensors')]), /missing\.safetensors: no such file/));
  it('rejects absurd options', () => expectCleanError(storyteller(['generate', '--checkpoint', model, '--length', '0']), /--length must be/));
});

describe('storyteller start without a terminal', () => {
  it('prints one story and, on stderr, every setting generate needs to write it again', () => {
    const r = storyteller(['start', '--model', model, '--prime', 'Doug', '--seed', '11', '--length', '60']);
    expect(r.code, r.stderr).toBe(0);
    const m = r.stderr.match(/\(model tiny, seed 11, temperature ([\d.]+), top-p ([\d.]+)\)/);
    expect(m, r.stderr).not.toBeNull();
    const again = storyteller(['generate', '--checkpoint', model, '--prime', 'Doug', '--seed', '11', '--length', '60',
      '--stop', 'paragraph', '--finish', '--temperature', m![1], '--top-p', m![2]]);
    expect(again.stdout.trimEnd()).toBe(r.stdout.trimEnd());
  });
});

describe('storyteller eval and info', () => {
  it('eval --json prints loss, bits per character, perplexity and counts', () => {
    const r = storyteller(['eval', '--checkpoint', model, '--data', corpus, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['bpc', 'chars', 'loss', 'perplexity', 'tokens', 'unknown']);
    expect(j.unknown).toMatchObject({ count: 0, rate: 0, bits: 0 });
    expect(j.bpc).toBeCloseTo(j.loss / Math.LN2, 6);
    expect(j.perplexity).toBeCloseTo(Math.exp(j.loss), 6);
  });
  it('info --json describes the model', () => {
    const r = storyteller(['info', '--checkpoint', model, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ level: 'char', cell: 'lstm', layers: 1, hiddenSize: 24 });
  });
  it('card writes samples with the settings it names, the same stories generate writes with them', () => {
    const r = storyteller(['card', '--checkpoint', model, '--prime', 'Doug', '--seeds', '5', '--length', '40', '--temperature', '0.9', '--top-p', '0.6']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Sample (seed 5, temperature 0.9, top-p 0.6, `--prime "Doug"`):');
    const again = storyteller(['generate', '--checkpoint', model, '--prime', 'Doug', '--seed', '5', '--length', '40', '--temperature', '0.9', '--top-p', '0.6', '--stop', 'paragraph', '--finish']);
    const quoted = r.stdout.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2)).join('\n');
    expect(quoted).toBe(again.stdout.trim());
  });
  it('an unknown command is an error with the list of commands', () => {
    const r = storyteller(['fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "fly".*train/);
  });
});
