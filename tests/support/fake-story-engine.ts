// A deterministic stand-in for the story engine, for front-end tests that must not depend on model math.
import { UserError } from '../../src/errors.ts';
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GenerationEvent } from '../../src/generation/events.ts';
import type { ModelSummary, StoryEngine } from '../../src/generation/story-engine.ts';

export const FAKE_MODEL: ModelSummary = {
  name: 'fake-char',
  path: '/nowhere/fake-char.safetensors',
  level: 'char',
  cell: 'lstm',
  layers: 2,
  hiddenSize: 8,
  params: 1234,
  vocabSize: 40,
  valBpc: 1.5,
  steps: 100,
};

const STORY = ' Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!';

export class FakeStoryEngine implements StoryEngine {
  calls: Array<{ model: string; options: Partial<GenerateOptions> }> = [];
  constructor(
    private readonly models: ModelSummary[] = [FAKE_MODEL],
    private readonly delayMs = 0,
  ) {}

  async listModels() {
    return this.models;
  }

  async loadModel(nameOrPath: string) {
    const m = this.models.find((x) => x.name === nameOrPath || x.path === nameOrPath);
    if (!m) throw new UserError(`${nameOrPath}: no such model`);
    return m;
  }

  async *generate(model: string, options: Partial<GenerateOptions>, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    await this.loadModel(model);
    this.calls.push({ model, options });
    const o = { ...DEFAULT_GENERATE_OPTIONS, ...options };
    if (/[^\x20-\x7e\n]/.test(o.prime) && o.unknown === 'error') {
      throw new UserError(`unknown characters in the prompt: ${[...new Set(o.prime.replace(/[\x20-\x7e\n]/g, ''))].join(', ')}`);
    }
    const seed = o.seed ?? 'fake-seed';
    yield { type: 'start', seed, prime: o.prime, primeText: o.prime, unknown: { unknown: [], actions: [] }, options: { ...o, seed } };
    // The seed shifts the story so tests can tell two seeds apart.
    const shift = [...seed].reduce((a, c) => a + c.charCodeAt(0), 0) % STORY.length;
    let text = '';
    for (let i = 0; i < o.length; i++) {
      if (signal?.aborted) break;
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const ch = STORY[(shift + i) % STORY.length];
      text += ch;
      const f = (i % 10) / 10;
      yield {
        type: 'token',
        index: i,
        id: ch.charCodeAt(0) % 40,
        text: ch,
        prob: 0.5,
        top: [
          { id: 1, text: ch, prob: 0.5 },
          { id: 2, text: 'x', prob: 0.2 },
        ],
        gates: o.trace
          ? [0, 1].map((l) => ({
              forget: Array.from({ length: 8 }, (_, u) => (f + u / 16 + l / 10) % 1),
              input: Array.from({ length: 8 }, () => 0.5),
              output: Array.from({ length: 8 }, () => 0.25),
              cell: Array.from({ length: 8 }, (_, u) => u / 4 - 1),
            }))
          : undefined,
      };
    }
    yield { type: 'end', reason: 'length', text, tokens: text.length, seed };
  }

  async close() {}
}
