import { describe, expect, test } from 'vitest';
import type { GenerationEvent, LayerTrace } from '../../src/generation/events.ts';
import { initialStoryState, selectedToken, storyReducer, type StoryAction, type StoryState } from '../../src/tui/story-state.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';

const reduce = (s: StoryState, ...actions: StoryAction[]) => actions.reduce(storyReducer, s);

/** A state with the fake model loaded, in command mode. */
function loaded(over: Partial<Parameters<typeof initialStoryState>[0]> = {}): StoryState {
  const s = initialStoryState({ model: FAKE_MODEL.name, ...over });
  return reduce(s, { type: 'model-loaded', id: s.loading!.id, model: FAKE_MODEL }, { type: 'mode', mode: 'command' });
}

const lstmGates = (v: number): LayerTrace[] => [0, 1].map(() => ({ forget: [v, v], input: [v, v], output: [v, v], cell: [v, v] }));
const token = (index: number, text: string, gates?: LayerTrace[]): GenerationEvent => ({ type: 'token', index, id: index, text, prob: 0.5, top: [], gates });
const startEvent = (seed: string, prime = ''): GenerationEvent => ({
  type: 'start',
  seed,
  prime,
  primeText: prime,
  unknown: { unknown: [], actions: [] },
  options: { prime, length: 10, temperature: 1, topK: 0, topP: 1, stop: 'paragraph', finish: true, unknown: 'replace', trace: true, topCandidates: 5, seed },
});

describe('the gate view names what a cell shows as its forget gate', () => {
  test('opening it on a no-forget LSTM says the forget gate is fixed at 1 and points to the cell state; an LSTM gets no note', () => {
    const s = initialStoryState({ model: 'nf' });
    const noForget = reduce(s, { type: 'model-loaded', id: s.loading!.id, model: { ...FAKE_MODEL, name: 'nf', cell: 'lstm-no-forget' } }, { type: 'mode', mode: 'command' });
    const opened = reduce(noForget, { type: 'toggle-gates' });
    expect(opened.gates.visible).toBe(true);
    expect(opened.message).toEqual({ kind: 'info', text: expect.stringMatching(/no forget gate: f is fixed at 1.*cell state/) });
    const plain = reduce(loaded(), { type: 'toggle-gates' });
    expect(plain.gates.visible).toBe(true);
    expect(plain.message?.text ?? '').not.toMatch(/forget gate/);
  });
});

/** Loaded, then a story "ab" generated from prompt "x" with seed s1. */
function withStory(gates = lstmGates(0.5)): StoryState {
  let s = reduce(loaded(), { type: 'mode', mode: 'prompt' }, { type: 'edit', op: { insert: 'x' } }, { type: 'submit' });
  const id = s.run!.id;
  s = reduce(s, { type: 'gen-events', runId: id, events: [startEvent('s1', 'x'), token(0, 'a', gates), token(1, 'b', gates)] });
  return reduce(s, { type: 'gen-event', runId: id, event: { type: 'end', reason: 'length', text: 'ab', tokens: 2, seed: 's1' } });
}

describe('story state', () => {
  test('without a prompt the screen starts in the prompt input', () => {
    expect(initialStoryState({ model: 'm' }).mode).toBe('prompt');
  });

  test('with a prompt the screen starts in command mode and generates once the model loads', () => {
    const s = initialStoryState({ model: 'm', prime: 'Once' });
    expect(s.mode).toBe('command');
    const after = storyReducer(s, { type: 'model-loaded', id: s.loading!.id, model: FAKE_MODEL });
    expect(after.run?.options.prime).toBe('Once');
  });

  test('typing edits the prompt draft and backspace removes the last character', () => {
    const s = reduce(initialStoryState({ model: 'm' }), { type: 'edit', op: { insert: 'Spot' } }, { type: 'edit', op: 'backspace' });
    expect(s.promptDraft).toBe('Spo');
  });

  test('Enter in the prompt starts a traced run with the prompt and returns to command mode', () => {
    const s = reduce(loaded(), { type: 'mode', mode: 'prompt' }, { type: 'edit', op: { insert: 'See Jane' } }, { type: 'submit' });
    expect(s.mode).toBe('command');
    expect(s.run).toMatchObject({ status: 'streaming', options: { prime: 'See Jane', trace: true } });
  });

  test('a prompt submitted while the model loads is told once it has loaded', () => {
    const s = reduce(initialStoryState({ model: 'm' }), { type: 'edit', op: { insert: 'Hi' } }, { type: 'submit' });
    expect(s.run).toBeUndefined();
    expect(storyReducer(s, { type: 'model-loaded', id: s.loading!.id, model: FAKE_MODEL }).run?.options.prime).toBe('Hi');
  });

  test('generating with no model at all explains what to do', () => {
    const s = initialStoryState({ model: 'm' });
    const failed = storyReducer(s, { type: 'model-failed', id: s.loading!.id, message: 'm: no such model' });
    const after = storyReducer(failed, { type: 'generate' });
    expect(after.run).toBeUndefined();
    expect(after.message?.text).toMatch(/no model loaded/);
  });

  test('token events append to the story text', () => {
    expect(withStory().run!.text).toBe('ab');
  });

  test('events of a replaced run are ignored', () => {
    const s = withStory();
    const old = s.run!.id;
    const next = storyReducer(s, { type: 'generate' });
    expect(storyReducer(next, { type: 'gen-event', runId: old, event: token(2, 'z') }).run!.tokens).toHaveLength(0);
  });

  test('the seed reported by the start event becomes the shown seed', () => {
    expect(withStory().settings.seed).toBe('s1');
  });

  test('a generation error becomes an error message and marks the run failed', () => {
    const s = withStory();
    const failed = storyReducer(s, { type: 'gen-failed', runId: s.run!.id, message: 'boom' });
    expect(failed.run!.status).toBe('failed');
    expect(failed.message).toEqual({ kind: 'error', text: 'boom' });
  });

  test('a free seed is left to the engine; a fixed seed is passed on', () => {
    const free = storyReducer(withStory(), { type: 'generate' });
    expect(free.run!.options.seed).toBeUndefined();
    const fixed = reduce(withStory(), { type: 'toggle-seed-fixed' }, { type: 'generate' });
    expect(fixed.run!.options.seed).toBe('s1');
  });

  test('a seed given at start is fixed', () => {
    expect(loaded({ seed: '42' }).settings).toMatchObject({ seed: '42', seedFixed: true });
  });

  test('set-seed fixes the new seed', () => {
    expect(storyReducer(loaded(), { type: 'set-seed', seed: '7' }).settings).toMatchObject({ seed: '7', seedFixed: true });
  });

  test('temperature moves in tenths and stops at zero', () => {
    const s = loaded({ temperature: 0.1 });
    expect(storyReducer(s, { type: 'adjust', setting: 'temperature', dir: 1 }).settings.temperature).toBe(0.2);
    expect(reduce(s, ...Array(3).fill({ type: 'adjust', setting: 'temperature', dir: -1 })).settings.temperature).toBe(0);
  });

  test('top-k, top-p and length move along their ladders and reach the run options', () => {
    const s = reduce(
      withStory(),
      { type: 'adjust', setting: 'topK', dir: 1 },
      { type: 'adjust', setting: 'topP', dir: -1 },
      { type: 'adjust', setting: 'length', dir: -1 },
      { type: 'generate' },
    );
    // One step down each ladder from the story defaults (top-p 0.8, length 600).
    expect(s.run!.options).toMatchObject({ topK: 1, topP: 0.7, length: 400 });
  });

  test('without settings the screen tells a story as npm start does', () => {
    expect(initialStoryState({ model: 'm' }).settings).toMatchObject({ temperature: 0.7, topP: 0.8, length: 600 });
  });

  test('the unknown-character policy cycles replace, skip, error', () => {
    const s = loaded();
    const once = storyReducer(s, { type: 'cycle-unknown' });
    const twice = storyReducer(once, { type: 'cycle-unknown' });
    expect([s.settings.unknown, once.settings.unknown, twice.settings.unknown]).toEqual(['replace', 'skip', 'error']);
  });

  test('starting a new story moves the finished one into the history', () => {
    const s = storyReducer(withStory(), { type: 'generate' });
    expect(s.history).toHaveLength(1);
    expect(s.history[0].text).toBe('xab');
  });

  test('continue primes the next run with the whole story so far', () => {
    expect(storyReducer(withStory(), { type: 'generate', continue: true }).run!.options.prime).toBe('xab');
  });

  test('the cursor follows the newest token until moved, then stays within the story', () => {
    const s = withStory();
    expect(selectedToken(s)).toBe(1);
    expect(selectedToken(storyReducer(s, { type: 'move-cursor', delta: -5 }))).toBe(0);
    expect(selectedToken(storyReducer(s, { type: 'move-cursor', delta: 5 }))).toBe(1);
  });

  test('the layer cycles through the layers of the trace', () => {
    const s = withStory();
    const once = storyReducer(s, { type: 'cycle-layer' });
    expect([once.gates.layer, storyReducer(once, { type: 'cycle-layer' }).gates.layer]).toEqual([1, 0]);
  });

  test('the kind cycles forget, input, output, cell', () => {
    let s = withStory();
    const seen = [s.gates.kind];
    for (let i = 0; i < 4; i++) seen.push((s = storyReducer(s, { type: 'cycle-kind' })).gates.kind);
    expect(seen).toEqual(['forget', 'input', 'output', 'cell', 'forget']);
  });

  test('a plain RNN trace shows the hidden state, the only kind it has', () => {
    const s = withStory([{ cell: [0.1, 0.2] }]);
    expect(s.gates.kind).toBe('cell');
    expect(storyReducer(s, { type: 'cycle-kind' }).gates.kind).toBe('cell');
  });

  test('m loads the next model and regenerates once it is loaded', () => {
    const word = { ...FAKE_MODEL, name: 'word' };
    const s = reduce(withStory(), { type: 'models-listed', models: [FAKE_MODEL, word] }, { type: 'cycle-model' });
    expect(s.loading).toMatchObject({ target: 'word', thenGenerate: true });
    const after = storyReducer(s, { type: 'model-loaded', id: s.loading!.id, model: word });
    expect(after.run).toMatchObject({ model: 'word', status: 'streaming' });
  });

  test('a model that fails to load leaves an error message and the old model in place', () => {
    const s = storyReducer(withStory(), { type: 'load-model', target: 'bad' });
    const after = storyReducer(s, { type: 'model-failed', id: s.loading!.id, message: 'bad: corrupt' });
    expect(after.message).toEqual({ kind: 'error', text: 'bad: corrupt' });
    expect(after.model).toBe(FAKE_MODEL);
  });

  test('a late answer for a superseded load is ignored', () => {
    const first = storyReducer(loaded(), { type: 'load-model', target: 'a' });
    const second = storyReducer(first, { type: 'load-model', target: 'b' });
    expect(storyReducer(second, { type: 'model-loaded', id: first.loading!.id, model: { ...FAKE_MODEL, name: 'a' } }).model).toBe(FAKE_MODEL);
  });

  test('the path input loads the typed checkpoint', () => {
    const s = reduce(loaded(), { type: 'mode', mode: 'path' }, { type: 'edit', op: { insert: ' /m/x.safetensors ' } }, { type: 'submit' });
    expect(s.mode).toBe('command');
    expect(s.loading?.target).toBe('/m/x.safetensors');
  });
});
