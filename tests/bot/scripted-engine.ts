// A story engine that tells the same story every time, one character per token, whatever the prompt.
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GenerationEvent } from '../../src/generation/events.ts';
import { FakeStoryEngine } from '../support/fake-story-engine.ts';

export class ScriptedEngine extends FakeStoryEngine {
  constructor(private readonly story: string) {
    super();
  }

  override async *generate(model: string, options: Partial<GenerateOptions>): AsyncIterable<GenerationEvent> {
    await this.loadModel(model);
    this.calls.push({ model, options });
    const seed = options.seed ?? 'chat-seed';
    const o = { ...DEFAULT_GENERATE_OPTIONS, ...options, seed };
    yield { type: 'start', seed, prime: options.prime ?? '', primeText: options.prime ?? '', unknown: { unknown: [], actions: [] }, options: o };
    let i = 0;
    for (const ch of this.story) {
      yield {
        type: 'token',
        index: i++,
        id: 1,
        text: ch,
        prob: 1,
        top: [],
        gates: o.trace ? [{ forget: [0.5, 0.25], input: [0.5, 0.5], output: [0.5, 0.5], cell: [0, 0] }] : undefined,
      };
    }
    yield { type: 'end', reason: 'length', text: this.story, tokens: this.story.length, seed };
  }
}
