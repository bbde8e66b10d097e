// The library's front door (src/index.ts): what its thin wrappers add to the engine underneath.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import * as api from '../../src/index.ts';
import { CheckpointError, evaluate, generateText, listModels, loadModel, readCheckpoint, train, UserError, writeCheckpoint, type TrainEvent } from '../../src/index.ts';
import { scratchDir } from '../support/scratch.ts';

const TALES = path.resolve('models/tales-char.safetensors');
const STORY = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run! Jane saw Doug. Look, Doug, look!\n\n'.repeat(12);
const OPTIONS = { prime: 'The fox', length: 60, seed: 'api-7' };

describe('loadModel', () => {
  test('a bare name, a path, a file: URL and the bytes of one checkpoint tell the same story', async () => {
    const stories = await Promise.all(
      ['tales-char', TALES, pathToFileURL(TALES), new Uint8Array(readFileSync(TALES))].map(async (source) => generateText(await loadModel(source), OPTIONS).story),
    );
    expect(stories[0].startsWith('The fox')).toBe(true);
    expect(new Set(stories).size).toBe(1);
  });

  test('names models by their file, and bytes by the name given', async () => {
    expect((await loadModel('tales-char')).name).toBe('tales-char');
    expect((await loadModel(new Uint8Array(readFileSync(TALES)), { name: 'uploaded' })).name).toBe('uploaded');
  });

  test('refuses what it cannot load with a one-line UserError', async () => {
    const cases: Array<[Parameters<typeof loadModel>[0], RegExp]> = [
      ['no-such-model', /no-such-model\.safetensors: no such file \(no model named "no-such-model"; models there: .*tales-char/],
      [new URL('https://example.com/m.safetensors'), /only file: URLs load directly; fetch the bytes/],
      [new Uint8Array(16), /^checkpoint: /],
      ['', /a model name, path, file: URL or checkpoint bytes is needed/],
    ];
    for (const [source, message] of cases) {
      const error = await loadModel(source).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect(await loadModel('no-such-model').catch((e: unknown) => e)).toBeInstanceOf(CheckpointError);
  });

  test('asked for the word model where it is missing (the npm package leaves it out), says how to get it', async () => {
    const dir = scratchDir('models-without-word');
    const error = await loadModel('tales-word', { modelsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(/no model named "tales-word".*leaves out this 10 MB model; copy models\/tales-word\.safetensors .* or train it/);
    expect((error as Error).message).not.toContain('\n');
    expect((await loadModel('no-such-model', { modelsDir: dir }).catch((e: unknown) => e) as Error).message).not.toMatch(/leaves out/);
  });
});

test('listModels lists the shipped models with their facts, skipping the files training writes beside them', async () => {
  const models = await listModels();
  const tales = models.find((m) => m.name === 'tales-char');
  const { model } = await loadModel('tales-char');
  expect(tales).toMatchObject({ level: 'char', cell: 'lstm', layers: model.config.layers, hiddenSize: model.config.hiddenSize, params: model.paramCount });
  expect(models.every((m) => !/\.(best|latest)$/.test(m.name))).toBe(true);
  expect(await listModels(scratchDir('no-models'))).toEqual([]);
});

test('evaluate scores a text the way storyteller eval does: a model predicts its own kind of text better', async () => {
  const model = await loadModel('tales-char');
  const prose = evaluate(model, 'Once upon a time there was a little girl who lived in a house by the wood with her mother.');
  const noise = evaluate(model, 'qzx vbk wjq pfz xqv kzj wqx zvb jqk xzp vqw kjz qxv bzw jxq zkv wpq xjz.');
  expect(prose.bpc).toBeLessThan(noise.bpc);
  expect(prose.perplexity).toBeCloseTo(Math.exp(prose.loss), 10);
  expect(() => evaluate(model, 'a')).toThrow(UserError);
});

describe('train', () => {
  test('takes any subset of the training options, writes the model, and reads back with readCheckpoint', async () => {
    const dir = scratchDir('api-train');
    const data = path.join(dir, 'story.txt');
    writeFileSync(data, STORY);
    const out = path.join(dir, 'mine.safetensors');
    const events: TrainEvent[] = [];
    for await (const e of train({ data: [data], out, config: { hiddenSize: 16, embeddingSize: 8, layers: 1, batchSize: 4, seqLength: 16, maxSteps: 6, evalEvery: 3 } })) events.push(e);
    expect(events.filter((e) => e.type === 'start')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'done', step: 6, reason: 'max-steps' });
    const ck = await readCheckpoint(out);
    expect(ck.model.config).toMatchObject({ hiddenSize: 16, layers: 1 });
    const copy = path.join(dir, 'copy.safetensors');
    await writeCheckpoint(copy, ck);
    expect(generateText(await loadModel(copy), { seed: 's', length: 30 }).text).toBe(generateText(await loadModel(out), { seed: 's', length: 30 }).text);
  });

  test('an aborted signal stops the run as Ctrl-C does, and a bad option is a UserError before any step', async () => {
    const dir = scratchDir('api-train');
    const data = path.join(dir, 'story.txt');
    writeFileSync(data, STORY);
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    for await (const e of train({ data: [data], out: path.join(dir, 'a.safetensors'), config: { hiddenSize: 8, embeddingSize: 4, layers: 1, batchSize: 2, seqLength: 8, maxSteps: 10_000, logEvery: 1 }, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'step' && e.step === 3) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'stopped' });
    expect((events.at(-1) as { step: number }).step).toBeLessThan(10);
    const bad = train({ data: [data], out: path.join(dir, 'b.safetensors'), config: { hiddenSize: -1 } });
    await expect(bad.next()).rejects.toThrow(/--hidden-size must be/);
  });
});

test('the front door exports the names the docs promise, and docs/api.md describes every export', () => {
  for (const name of ['loadModel', 'generate', 'generateText', 'createStoryEngine', 'train', 'evaluate', 'readCheckpoint', 'writeCheckpoint', 'listModels', 'CharTokenizer', 'WordTokenizer', 'tokenizerFromJSON', 'CheckpointError', 'UserError', 'DEFAULT_GENERATE_OPTIONS', 'DEFAULT_TRAIN_CONFIG', 'STORY_ENDING', 'DEFAULT_MODEL', 'MODELS_DIR']) {
    expect(api, name).toHaveProperty(name);
  }
  const docs = readFileSync('docs/api.md', 'utf8');
  for (const name of Object.keys(api)) expect(docs, `docs/api.md describes ${name}`).toContain(`\`${name}`);
});
