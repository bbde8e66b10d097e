// Every --json output is camelCase, as the training events always were (charsPerSec, valLoss): the bench
// rows too (charsPerSec and peakRssMb, which were chars_per_s and peak_rss_mb).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const dir = scratchDir('json-keys');
writeFileSync(path.join(dir, 'story.txt'), 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(30));

/** Every object key in a parsed JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  // Numbers as keys (the Amdahl predictions by thread count) are not names.
  return Object.entries(value).flatMap(([k, v]) => [...(/^\d+$/.test(k) ? [] : [k]), ...keysOf(v)]);
}

async function jsonLines(argv: string[]): Promise<unknown[]> {
  const r = await runInProcess(argv, dir);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;

describe('--json keys are camelCase', () => {
  it.each([
    ['info', ['info', '--checkpoint', 'tales-char', '--json']],
    ['eval', ['eval', '--checkpoint', 'tales-char', '--data', 'story.txt', '--json']],
    ['corpus stats', ['corpus', 'stats', 'story.txt', '--json']],
    ['generate', ['generate', '--checkpoint', 'tales-char', '--length', '3', '--seed', '1', '--json']],
    ['stories', ['stories', '--checkpoint', 'tales-char', '--count', '2', '--length', '20', '--data', 'story.txt', '--json']],
    ['train', ['train', '--data', 'story.txt', '--out', 'runs/t.safetensors', '--hidden-size', '8', '--embedding-size', '4', '--layers', '1', '--batch-size', '2', '--seq-length', '8', '--max-steps', '2', '--eval-every', '1', '--log-every', '1', '--json']],
  ])('%s', async (_name, argv) => {
    const keys = keysOf(await jsonLines(argv));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !CAMEL.test(k))).toEqual([]);
  });

  it('generate --gates-json: the file too', async () => {
    const r = await runInProcess(['generate', '--checkpoint', 'tales-char', '--length', '3', '--seed', '1', '--gates-json', 'gates.json', '--summary', 'mean'], dir);
    expect(r.code, r.stderr).toBe(0);
    const keys = keysOf(JSON.parse(readFileSync(path.join(dir, 'gates.json'), 'utf8')));
    expect(keys).toContain('view');
    expect(keys.filter((k) => !CAMEL.test(k))).toEqual([]);
  });

  it('bench: a measured row has charsPerSec and peakRssMb', async () => {
    const [row] = await jsonLines(['bench', '--child', '--config', 'S', '--mode', 'sample', '--threads', '1', '--budget', '0.2', '--json']);
    expect(row).toMatchObject({ system: 'lstm-storyteller', config: 'S', mode: 'sample', threads: 1, charsPerSec: expect.any(Number), peakRssMb: expect.any(Number) });
    expect(keysOf(row).filter((k) => !CAMEL.test(k))).toEqual([]);
  });
});
