// The story reducer's screen behaviours: prompt history, paste, scrolling, the length ladder, and the
// gate kind coming back after a model without gates.
import { describe, expect, test } from 'vitest';
import type { GenerationEvent } from '../../src/generation/events.ts';
import type { ModelSummary } from '../../src/generation/story-engine.ts';
import { initialStoryState, storyReducer, type StoryAction, type StoryState } from '../../src/tui/story-state.ts';
import { storyKeyIntents } from '../../src/tui/story-keys.ts';
import { EPISODE_PROMPT, PROSE_MODEL } from '../../src/demos/long-dependency-examples.ts';

const MODEL: ModelSummary = { name: 'm', path: '/m.safetensors', level: 'char', cell: 'lstm', layers: 1, hiddenSize: 4, params: 10, vocabSize: 5 } as ModelSummary;
const run = (s: StoryState, ...actions: StoryAction[]) => actions.reduce(storyReducer, s);
const loaded = () => run(initialStoryState({ model: 'm', length: 600 }), { type: 'model-loaded', id: 1, model: MODEL });
const type = (text: string): StoryAction => ({ type: 'edit', op: { insert: text } });

describe('story screen state', () => {
  test('↑ recalls earlier prompts, newest first, and ↓ past the newest brings back the draft', () => {
    let s = run(loaded(), type('Doug saw'), { type: 'submit' }, { type: 'mode', mode: 'prompt' }, { type: 'edit', op: 'clear' }, type('Spot ran'), { type: 'submit' });
    s = run(s, { type: 'mode', mode: 'prompt' }, { type: 'edit', op: 'clear' }, type('half-typed'));
    s = run(s, { type: 'history', dir: -1 });
    expect(s.promptDraft).toBe('Spot ran');
    s = run(s, { type: 'history', dir: -1 });
    expect(s.promptDraft).toBe('Doug saw');
    expect(run(s, { type: 'history', dir: -1 }).promptDraft).toBe('Doug saw');
    s = run(s, { type: 'history', dir: 1 }, { type: 'history', dir: 1 });
    expect(s.promptDraft).toBe('half-typed');
  });

  test('typing goes in at the cursor', () => {
    const s = run(loaded(), type('Doug Spot'), { type: 'edit', op: 'word-left' }, type('saw '));
    expect(s.promptDraft).toBe('Doug saw Spot');
  });

  test('a paste in command mode opens the prompt with the text and changes no setting', () => {
    const before = run(loaded(), { type: 'mode', mode: 'command' });
    const after = run(before, { type: 'paste', text: 'The cat sat\non the mat' });
    expect(after.mode).toBe('prompt');
    expect(after.promptDraft).toBe('The cat sat on the mat');
    expect(after.settings).toEqual(before.settings);
    expect(after.run).toBe(before.run);
    expect(after.gates).toEqual(before.gates);
  });

  test('length - then + comes back to the default 600', () => {
    const s = run(loaded(), { type: 'adjust', setting: 'length', dir: -1 });
    expect(s.settings.length).toBe(400);
    expect(run(s, { type: 'adjust', setting: 'length', dir: 1 }).settings.length).toBe(600);
  });

  test('a new story follows its end again', () => {
    const s = run(loaded(), { type: 'scroll', top: 3 });
    expect(s.scrollTop).toBe(3);
    expect(run(s, type('x'), { type: 'submit' }).scrollTop).toBeNull();
  });

  test('after a model with only the cell state, the next model shows the forget gate again', () => {
    const token = (gates: Record<string, number[]>): GenerationEvent => ({ type: 'token', index: 0, id: 0, text: 'a', prob: 0.5, top: [], gates: [gates as never] });
    let s = run(loaded(), type('x'), { type: 'submit' });
    s = run(s, { type: 'gen-event', runId: s.run!.id, event: token({ cell: [0.1] }) });
    expect(s.gates.kind).toBe('cell');
    s = run(s, { type: 'generate' });
    s = run(s, { type: 'gen-event', runId: s.run!.id, event: token({ forget: [0.5], input: [0.5], output: [0.5], cell: [0.1] }) });
    expect(s.gates.kind).toBe('forget');
  });
});

describe('story screen messages and models', () => {
  test('the unknown-character error says to press u, not to use a command-line flag', async () => {
    const { CharTokenizer } = await import('../../src/text/char-tokenizer.ts');
    const { errorMessage } = await import('../../src/tui/story-app.tsx');
    let err: unknown;
    try {
      CharTokenizer.fromText('abc ').encodePrompt('café', 'error');
    } catch (e) {
      err = e;
    }
    expect(String(err)).toContain('--unknown');
    expect(errorMessage(err)).toContain('press u');
    expect(errorMessage(err)).not.toContain('--unknown');
  });

  test('m goes through every model in the folder in turn, then starts again', () => {
    const names = ['doug-jane-spot', 'long-dep-gru', 'long-dep-lstm', 'long-dep-rnn', 'tales-char', 'tales-word'];
    const models = names.map((name) => ({ ...MODEL, name, path: `/models/${name}.safetensors` }));
    let s = run(initialStoryState({ model: 'tales-char' }), { type: 'models-listed', models }, { type: 'model-loaded', id: 1, model: models[4] });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      s = run(s, { type: 'cycle-model' });
      seen.push(s.loading!.target);
      s = run(s, { type: 'model-loaded', id: s.loading!.id, model: models.find((m) => m.name === s.loading!.target)! });
    }
    expect(seen).toEqual(['tales-word', 'doug-jane-spot', 'long-dep-gru', 'long-dep-lstm', 'long-dep-rnn', 'tales-char']);
  });
});

describe('the long-dependency episode (E)', () => {
  const listed = (...names: string[]) => run(loaded(), { type: 'mode', mode: 'command' }, { type: 'models-listed', models: names.map((name) => ({ ...MODEL, name, path: `/${name}.safetensors` })) });

  test('loads the prose LSTM when there is one, opens the ready-made episode to edit, greedy and just long enough to answer', () => {
    const s = run(listed('tales-char', 'long-dep-lstm', PROSE_MODEL), { type: 'episode' });
    expect(s.loading?.target).toBe(PROSE_MODEL);
    expect(s.mode).toBe('prompt');
    expect(s.promptDraft).toBe(EPISODE_PROMPT);
    expect(s.promptDraft).toMatch(/^I grew up in France\. .+ I speak fluent$/);
    expect(s.settings.temperature).toBe(0);
    expect(s.settings.length).toBeLessThan(' French.'.length + 1);
    expect(storyKeyIntents(run(loaded(), { type: 'mode', mode: 'command' }), 'E', {})).toEqual([{ type: 'episode' }]);
  });

  test('falls back to the generator-trained LSTM, and says so when neither is there', () => {
    expect(run(listed('tales-char', 'long-dep-lstm'), { type: 'episode' }).loading?.target).toBe('long-dep-lstm');
    const none = run(listed('tales-char'), { type: 'episode' });
    expect(none.message).toMatchObject({ kind: 'error' });
    expect(none.mode).toBe('command');
  });
});
