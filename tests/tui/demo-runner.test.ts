// The demo runner shared by the TUI and the bot: the real `storyteller demo NAME --json` child process,
// its parsed output and its failures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatPrices } from '../../src/demos/format.ts';
import { COMPANIES } from '../../src/demos/prices.ts';
import { UserError } from '../../src/errors.ts';
import { checkDemoModels, demoText, isAbortError, LONG_DEPENDENCY_MODELS, parseDemoOutput, runDemoProcess } from '../../src/demos/demo-runner.ts';
import { trainTinyLongDependencyModels } from './tiny-demo-models.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dirs: string[] = [];
let empty: string;
let tiny: string;

beforeAll(() => {
  empty = mkdtempSync(join(tmpdir(), 'no-models-'));
  tiny = trainTinyLongDependencyModels(['lstm', 'rnn']);
  dirs.push(empty, tiny);
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('demo runner', () => {
  test('prices runs in a child process and comes back as the data the table is made from', async () => {
    const d = await runDemoProcess('prices', { modelsDir: empty });
    if (d.name !== 'prices') throw new Error(d.name);
    expect(d.prices.companies.map((c) => c.name)).toEqual(COMPANIES.map((c) => c.name));
    expect(demoText(d)).toBe(formatPrices(d.prices));
  });

  test('gradients without trained models still shows part (a), with a note on part (b)', async () => {
    const d = await runDemoProcess('gradients', { modelsDir: empty });
    const text = demoText(d);
    expect(text).toContain(`d(h50)/d(h0) = ${(2 ** 50).toExponential(2)}`);
    expect(text).toContain('note: part (b) needs trained models');
  });

  test('long-dependency without its models fails at once with a UserError saying how to train them', async () => {
    const run = runDemoProcess('long-dependency', { modelsDir: empty });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(/long-dependency models are not trained yet .*storyteller demo long-dependency --train/);
  });

  test('the same check is available without running anything', () => {
    expect(() => checkDemoModels('long-dependency', empty)).toThrow(UserError);
    expect(() => checkDemoModels('doug-jane-spot', empty)).toThrow(/doug-jane-spot\.safetensors does not exist/);
    expect(checkDemoModels('prices', empty)).toEqual([]);
  });

  test('with trained models long-dependency gives the bucket table, the memory cells and the accuracy plot', async () => {
    const d = await runDemoProcess('long-dependency', { modelsDir: tiny, perBucket: 4 });
    if (d.name !== 'long-dependency') throw new Error(d.name);
    expect(new Set(d.results.map((r) => r.cell))).toEqual(new Set(['lstm', 'rnn']));
    expect(d.results.every((r) => r.n === 4)).toBe(true);
    expect(d.memoryCells?.units.length).toBe(6);
    expect(d.accuracyPng?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const text = demoText(d);
    expect(text).toMatch(/^generator filler: .*\ngap \(chars\)\s+n\s+lstm acc\s+lstm p\s+rnn acc/);
    expect(text).toMatch(/\n\nunseen prose: .*\ngap \(chars\)\s+n\s+lstm acc/);
    expect(text).toContain('memory cells (');
    expect(text).toContain(`note: not trained yet, left out: ${LONG_DEPENDENCY_MODELS.filter((m) => !['long-dep-lstm', 'long-dep-rnn'].includes(m)).join(', ')}`);
  });

  test('aborting stops the child and rejects with an AbortError', async () => {
    const ctrl = new AbortController();
    const run = runDemoProcess('prices', { modelsDir: empty, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 50);
    const err = await run.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
  });

  test("the command's own one-line error comes back as a UserError", async () => {
    const broken = mkdtempSync(join(tmpdir(), 'broken-model-'));
    dirs.push(broken);
    writeFileSync(join(broken, 'doug-jane-spot.safetensors'), 'not a checkpoint');
    const err = await runDemoProcess('doug-jane-spot', { modelsDir: broken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(join(broken, 'doug-jane-spot.safetensors'));
    expect((err as Error).message).not.toMatch(/^storyteller/);
  });

  test('a child that crashes is an ordinary Error naming the demo', async () => {
    const err = await runDemoProcess('prices', { bin: join(empty, 'no-such-launcher.mjs') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^the prices demo failed: /);
  });

  test('the long-dependency output keeps its one-object-per-bucket lines and adds the memory cells as one more', () => {
    const bucket = { cell: 'lstm', gapMin: 10, gapMax: 49, n: 3, accuracy: 1 / 3, meanProb: 0.2, languages: 24 };
    const memory = { episodes: 5, units: [{ unit: 2, eta2: 0.5, eta2MidGap: 0.9, meanForget: 0.8 }], meanForgetAll: 0.7, probeAccuracy: 0.4, topUnit: 2, topUnitAccuracy: 0.3, chance: 1 / 24 };
    const d = parseDemoOutput('long-dependency', `${JSON.stringify(bucket)}\n${JSON.stringify({ memoryCells: memory })}\n`);
    expect(d).toMatchObject({ results: [bucket], memoryCells: memory });
  });
});
