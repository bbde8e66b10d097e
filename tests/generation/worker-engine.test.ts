// The story engine runs generation in worker threads and gives the same events as the in-process generator.
import { writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { GenerationEvent } from '../../src/generation/events.ts';
import { generateText } from '../../src/generation/generator.ts';
import { createStoryEngine } from '../../src/generation/worker-engine.ts';
import type { StoryEngine } from '../../src/generation/story-engine.ts';
import { loadModel, MODELS_DIR } from '../../src/models.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { scratchDir } from '../support/scratch.ts';

const modelsDir = scratchDir('engine');
let engine: StoryEngine;

beforeAll(async () => {
  const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz .,!?');
  const model = new RnnModel({ cell: 'lstm', layers: 2, hiddenSize: 16, embeddingSize: 8, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f32LoopBackend);
  model.params.init(new Rng('engine'));
  await saveCheckpoint(path.join(modelsDir, 'small.safetensors'), { model, tokenizer, card: { valBpc: 2.5, steps: 10 } });
  writeFileSync(path.join(modelsDir, 'broken.safetensors'), 'not a checkpoint');
  copyFileSync(path.join(modelsDir, 'small.safetensors'), path.join(modelsDir, 'small.latest.safetensors'));
  engine = createStoryEngine({ modelsDir, workers: 2 });
});
afterAll(() => engine.close());

async function collect(it: AsyncIterable<GenerationEvent>) {
  const out: GenerationEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('worker story engine', () => {
  it('lists the models in the folder with their card figures, skipping training side files', async () => {
    const list = await engine.listModels();
    expect(list.map((m) => m.name)).toEqual(['small']);
    expect(list[0]).toMatchObject({ level: 'char', cell: 'lstm', layers: 2, hiddenSize: 16, valBpc: 2.5 });
  });

  it('streams the same story as the in-process generator for the same seed', async () => {
    const evs = await collect(engine.generate('small', { prime: 'ab', length: 40, seed: 'w', trace: true }));
    const text = evs.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('');
    const local = generateText(await loadModel(path.join(modelsDir, 'small.safetensors')), { prime: 'ab', length: 40, seed: 'w' });
    expect(text).toBe(local.text);
    expect((evs[1] as { gates: unknown[] }).gates).toHaveLength(2);
  });

  it('runs two stories at once', async () => {
    const [a, b] = await Promise.all([
      collect(engine.generate('small', { length: 200, seed: 'a' })),
      collect(engine.generate('small', { length: 200, seed: 'b' })),
    ]);
    expect(a.at(-1)).toMatchObject({ type: 'end', tokens: 200 });
    expect(b.at(-1)).toMatchObject({ type: 'end', tokens: 200 });
  });

  it('stops a story when its signal is aborted', async () => {
    const ac = new AbortController();
    let n = 0;
    for await (const e of engine.generate('small', { length: 100000, seed: 'long' }, ac.signal)) {
      if (e.type === 'token' && ++n === 10) ac.abort();
    }
    expect(n).toBeLessThan(100000);
    // The worker is free again.
    const next = await collect(engine.generate('small', { length: 5, seed: 'after' }));
    expect(next.at(-1)).toMatchObject({ type: 'end', tokens: 5 });
  });

  it('a story that ends normally does not undo the cancelling of another', async () => {
    const own = createStoryEngine({ modelsDir, workers: 2 });
    try {
      // A short story read up to its end event, its worker's "done" then waiting to be read.
      const short = own.generate('small', { length: 5, seed: 'short' })[Symbol.asyncIterator]();
      for (let r = await short.next(); !r.done && r.value.type !== 'end'; r = await short.next());
      await new Promise((r) => setTimeout(r, 200));
      // A long story on the other worker (the shipped model: 100000 tokens take it many seconds).
      const ac = new AbortController();
      let abortedAt = 0;
      let n = 0;
      for await (const e of own.generate(path.join(MODELS_DIR, 'doug-jane-spot.safetensors'), { length: 100000, seed: 'long' }, ac.signal)) {
        if (e.type === 'token' && ++n === 10) {
          ac.abort();
          abortedAt = Date.now();
          // The short story finishes right after the cancel and must not overwrite it.
          expect((await short.next()).done).toBe(true);
        }
      }
      expect(Date.now() - abortedAt).toBeLessThan(5000);
    } finally {
      await own.close();
    }
  });

  it('reports a broken or missing model and a bad prompt as user errors', async () => {
    await expect(engine.loadModel('broken')).rejects.toThrow(/broken\.safetensors: truncated or not a safetensors file/);
    await expect(engine.loadModel('nothing-here')).rejects.toThrow(/no such file/);
    await expect(collect(engine.generate('small', { prime: 'ZZZ', unknown: 'error' }))).rejects.toThrow(/unknown characters "Z"/);
  });
});
