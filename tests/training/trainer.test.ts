// Training: exact resume, tiny corpora, determinism, divergence and the best/latest checkpoints.
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { f32LoopBackend, fastBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import type { TrainEvent } from '../../src/training/events.ts';
import { siblingPath, train } from '../../src/training/trainer.ts';
import { generateText } from '../../src/generation/generator.ts';
import { orthogonalityError } from '../support/orthogonality.ts';
import { scratchDir } from '../support/scratch.ts';

const STORY = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run! Jane saw Doug. Look, Doug, look!\n\n'.repeat(12);

function tmp(): string {
  return scratchDir('train');
}

/** A scratch folder holding story.txt (STORY). */
function storyFolder(): { dir: string; data: string } {
  const dir = tmp();
  const data = path.join(dir, 'story.txt');
  writeFileSync(data, STORY);
  return { dir, data };
}

async function run(opts: Parameters<typeof train>[0]): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const e of train(opts)) events.push(e);
  return events;
}

const small = (over: Record<string, unknown> = {}) =>
  resolveTrainConfig({ layers: 2, hiddenSize: 16, embeddingSize: 8, batchSize: 4, seqLength: 16, evalEvery: 5, logEvery: 5, dropout: 0.1, maxSteps: 10, ...over });

describe('training', () => {
  it('training 2N steps equals training N, stopping, and resuming for N more, bit for bit', async () => {
    const { dir, data } = storyFolder();
    const backend = await fastBackend();
    await run({ config: small({ maxSteps: 12 }), data: [data], out: path.join(dir, 'whole.safetensors'), backend });
    await run({ config: small({ maxSteps: 6 }), data: [data], out: path.join(dir, 'split.safetensors'), backend });
    const resumed = await run({ config: small({ maxSteps: 12 }), data: [data], out: path.join(dir, 'split.safetensors'), backend, resume: true, overrides: { maxSteps: 12 } });
    expect(resumed.find((e) => e.type === 'start')).toMatchObject({ step: 6, resumed: true });
    const a = await loadCheckpoint(siblingPath(path.join(dir, 'whole.safetensors'), 'latest'), backend);
    const b = await loadCheckpoint(siblingPath(path.join(dir, 'split.safetensors'), 'latest'), backend);
    expect(Buffer.from(b.model.params.data.buffer, b.model.params.data.byteOffset, b.model.params.data.byteLength).equals(
      Buffer.from(a.model.params.data.buffer, a.model.params.data.byteOffset, a.model.params.data.byteLength),
    )).toBe(true);
    expect(Array.from(b.optimizer!.m)).toEqual(Array.from(a.optimizer!.m));
    expect(Array.from(b.optimizer!.v)).toEqual(Array.from(a.optimizer!.v));
  });

  it('the same seed gives the same weights; another seed gives different ones', async () => {
    const { dir, data } = storyFolder();
    const weights = async (seed: string, name: string) => {
      await run({ config: small({ seed, maxSteps: 4 }), data: [data], out: path.join(dir, name), backend: f32LoopBackend });
      return Array.from((await loadCheckpoint(path.join(dir, name), f32LoopBackend)).model.params.data);
    };
    const a = await weights('one', 'a.safetensors');
    expect(await weights('one', 'b.safetensors')).toEqual(a);
    expect(await weights('two', 'c.safetensors')).not.toEqual(a);
  });

  it('starts from orthogonal recurrent blocks when the recipe asks for them', async () => {
    const { dir, data } = storyFolder();
    const gram = async (recurrentInit: string, name: string) => {
      // One step at a negligible learning rate: the weights are still the initial draw.
      await run({ config: small({ recurrentInit, maxSteps: 1, lr: 1e-9, dropout: 0 }), data: [data], out: path.join(dir, name), backend: f32LoopBackend });
      const w = (await loadCheckpoint(path.join(dir, name), f32LoopBackend)).model.params.view('rnn.weight_hh_l1');
      return orthogonalityError(w, 0, 16);
    };
    expect(await gram('orthogonal', 'o.safetensors')).toBeLessThan(1e-5);
    expect(await gram('uniform', 'u.safetensors')).toBeGreaterThan(0.5);
  });

  it('trains on a one-line corpus, adapting batch and sequence sizes and warning about validation', async () => {
    const dir = tmp();
    const data = path.join(dir, 'tiny.txt');
    writeFileSync(data, 'Doug saw Jane. Jane saw Spot.');
    const events = await run({ config: resolveTrainConfig({ layers: 1, hiddenSize: 32, embeddingSize: 16, maxSteps: 300, evalEvery: 100, lr: 1e-2 }), data: [data], out: path.join(dir, 'tiny.safetensors') });
    const start = events.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ batchSize: 1 });
    expect((start as { seqLength: number }).seqLength).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'warning' && /memorisation/.test(e.message))).toBe(true);
    const done = events.at(-1) as Extract<TrainEvent, { type: 'done' }>;
    // Memorising 28 transitions: below 0.1 nats per character (uniform would be ln 13 ≈ 2.56).
    expect(done.bestValLoss).toBeLessThan(0.1);
    const lm = await loadCheckpoint(path.join(dir, 'tiny.safetensors'), f32LoopBackend);
    const out = generateText({ name: 't', path: '', ...lm }, { prime: 'Doug saw', length: 20, temperature: 0, stop: 'sentence' });
    expect(out.text).toBe(' Jane.');
  });

  it('a --seq-length longer than the text allows is named as the reason, not "the corpus is small"', async () => {
    const { dir, data } = storyFolder();
    const events = await run({ config: small({ seqLength: 100000, maxSteps: 1 }), data: [data], out: path.join(dir, 'm.safetensors') });
    const warning = events.find((e) => e.type === 'warning' && /too short/.test(e.message));
    expect(warning).toMatchObject({ message: expect.stringMatching(/is too short for 4 streams of 100000 tokens \(--batch-size, --seq-length\): using batch size 1 and sequence length \d+/) });
  });

  it('a run stopped before its first validation leaves best, latest and final files, all with validation figures', async () => {
    const { dir, data } = storyFolder();
    const out = path.join(dir, 'm.safetensors');
    const control = { stopRequested: false, paused: false };
    for await (const e of train({ config: small({ maxSteps: 50, evalEvery: 100, logEvery: 1 }), data: [data], out, control })) {
      if (e.type === 'step' && e.step === 2) control.stopRequested = true;
    }
    for (const f of [out, siblingPath(out, 'best'), siblingPath(out, 'latest')]) {
      const card = (await loadCheckpoint(f, f32LoopBackend)).card;
      expect(card.valBpc, f).toBeGreaterThan(0);
      expect(card.steps).toBe(2);
    }
  });

  it('writes best, latest and the final weights-only file beside --out', async () => {
    const { dir, data } = storyFolder();
    const out = path.join(dir, 'm.safetensors');
    await run({ config: small(), data: [data], out });
    expect(existsSync(siblingPath(out, 'best'))).toBe(true);
    expect((await loadCheckpoint(siblingPath(out, 'latest'), f32LoopBackend)).optimizer).toBeDefined();
    const final = await loadCheckpoint(out, f32LoopBackend);
    expect(final.optimizer).toBeUndefined();
    expect(final.card.steps).toBeGreaterThan(0);
  });

  it('stops with a hint when the loss diverges', async () => {
    const { dir, data } = storyFolder();
    const config = small({ lr: 9, gradClip: 0, optimizer: 'sgd', dropout: 0, maxSteps: 200, hiddenSize: 64 });
    await expect(run({ config, data: [data], out: path.join(dir, 'x.safetensors') })).rejects.toThrow(/diverged.*--lr/);
  });

  it('refuses an empty corpus and a missing file with clear messages', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'empty.txt'), '  \n');
    await expect(run({ config: small(), data: [path.join(dir, 'empty.txt')], out: path.join(dir, 'x.safetensors') })).rejects.toThrow(/corpus is empty/);
    await expect(run({ config: small(), data: [path.join(dir, 'missing.txt')], out: path.join(dir, 'x.safetensors') })).rejects.toThrow(/no such file/);
  });

  it('stops early after `patience` evaluations without improvement', async () => {
    const { dir, data } = storyFolder();
    // A learning rate far below Float32 resolution leaves the weights (all but the zero-initialised biases)
    // unchanged, so validation stalls at once.
    const config = small({ lr: 1e-12, optimizer: 'sgd', dropout: 0, patience: 3, evalEvery: 1, maxSteps: 100 });
    const events = await run({ config, data: [data], out: path.join(dir, 'x.safetensors') });
    const done = events.at(-1) as Extract<TrainEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', reason: 'early-stop' });
    expect(done.step).toBeLessThan(10);
  });
});

describe('resuming', () => {
  it('on new data measures the best validation loss afresh, so the final file holds the newly trained weights', async () => {
    const dir = tmp();
    const first = path.join(dir, 'first.txt');
    const second = path.join(dir, 'second.txt');
    writeFileSync(first, STORY);
    writeFileSync(second, 'Spot and Puff play ball in the sun. Puff runs away!\n\n'.repeat(20));
    const out = path.join(dir, 'm.safetensors');
    await run({ config: small({ maxSteps: 6 }), data: [first], out });
    const events = await run({ config: small({ maxSteps: 12 }), data: [second], out, resume: true, overrides: { maxSteps: 12 } });
    expect(events.some((e) => e.type === 'warning' && /differs/.test(e.message))).toBe(true);
    expect(events.some((e) => e.type === 'eval' && e.step > 6 && e.improved)).toBe(true);
    expect((await loadCheckpoint(out, f32LoopBackend)).card.steps).toBeGreaterThan(6);
  });

  it('works from a run stopped before its first evaluation', async () => {
    const { dir, data } = storyFolder();
    const out = path.join(dir, 'm.safetensors');
    const control = { stopRequested: false, paused: false };
    for await (const e of train({ config: small({ maxSteps: 50, evalEvery: 100, logEvery: 1 }), data: [data], out, control })) {
      if (e.type === 'step' && e.step === 2) control.stopRequested = true;
    }
    const events = await run({ config: small({ maxSteps: 8, evalEvery: 100 }), data: [data], out, resume: true, overrides: { maxSteps: 8 } });
    expect(events.find((e) => e.type === 'start')).toMatchObject({ step: 2 });
    expect(events.find((e) => e.type === 'eval')).toMatchObject({ step: 8, improved: true });
  });
});

describe('fine-tuning (init)', () => {
  it('starts from the given model\'s weights and vocabulary, keeps its sizes, and names it in the card', async () => {
    const { dir, data } = storyFolder();
    const other = path.join(dir, 'other.txt');
    writeFileSync(other, 'Puff ran to Mother. Mother saw Puff. Oh, Puff!\n\n'.repeat(20));
    const backend = await fastBackend();
    const base = path.join(dir, 'base.safetensors');
    await run({ config: small({ maxSteps: 8 }), data: [data], out: base, backend });
    const start = await loadCheckpoint(base, backend);
    // A learning rate too small to move anything: the tuned weights are the starting ones.
    const tuned = path.join(dir, 'tuned.safetensors');
    await run({ config: small({ maxSteps: 2, lr: 1e-12, hiddenSize: 99, seed: 'another' }), data: [other], out: tuned, backend, init: base });
    const t = await loadCheckpoint(tuned, backend);
    expect(t.model.config.hiddenSize).toBe(16); // from the model, not from the default or the config
    expect(t.tokenizer.vocab).toEqual(start.tokenizer.vocab);
    let worst = 0;
    for (let i = 0; i < start.model.params.size; i++) worst = Math.max(worst, Math.abs(t.model.params.data[i] - start.model.params.data[i]));
    expect(worst).toBeLessThan(1e-6);
    expect(t.card.initFrom).toBe('base.safetensors');
  });

  it('refuses sizes given explicitly that the model does not have', async () => {
    const { dir, data } = storyFolder();
    const backend = await fastBackend();
    const base = path.join(dir, 'base.safetensors');
    await run({ config: small({ maxSteps: 2 }), data: [data], out: base, backend });
    await expect(run({ config: small({ maxSteps: 2, hiddenSize: 32 }), data: [data], out: path.join(dir, 'x.safetensors'), backend, init: base, overrides: { hiddenSize: 32 } }))
      .rejects.toThrow(/hiddenSize 16; a model started from it cannot have 32/);
  });
});

describe('selecting the best state by a held-out score', () => {
  it('keeps the state with the highest score, whatever the validation loss says, and records the score in the card', async () => {
    const { dir, data } = storyFolder();
    const backend = await fastBackend();
    const out = path.join(dir, 'm.safetensors');
    // Scores for the evaluations at steps 5, 10, 15, 20: the second is the best.
    const scores = [0.2, 0.9, 0.5, 0.7];
    const weightsAt = new Map<number, number[]>();
    let evals = 0;
    const select = {
      name: 'scripted score',
      score: ({ model }: { model: { params: { data: ArrayLike<number> } } }) => {
        weightsAt.set((evals + 1) * 5, Array.from(model.params.data));
        return scores[evals++]!;
      },
    };
    const events = await run({ config: small({ maxSteps: 20, dropout: 0, lr: 1e-2 }), data: [data], out, backend, select });
    const evalEvents = events.filter((e): e is Extract<TrainEvent, { type: 'eval' }> => e.type === 'eval');
    expect(evalEvents.map((e) => e.improved)).toEqual([true, true, false, false]);
    expect(evalEvents.map((e) => e.score)).toEqual([
      { name: 'scripted score', value: 0.2, best: 0.2 },
      { name: 'scripted score', value: 0.9, best: 0.9 },
      { name: 'scripted score', value: 0.5, best: 0.9 },
      { name: 'scripted score', value: 0.7, best: 0.9 },
    ]);
    const kept = await loadCheckpoint(out, backend);
    expect(kept.card.selectedBy).toEqual({ name: 'scripted score', score: 0.9 });
    expect(kept.card.steps).toBe(10);
    expect(Array.from(kept.model.params.data)).toEqual(weightsAt.get(10));
    expect(Array.from(kept.model.params.data)).not.toEqual(weightsAt.get(20));
  });
});
