// The gate view's keys as state: summary or unit, suggested units, unit numbers, scale, rule and a marked span;
// and the prompt's tokens joining the story's in the view.
import { describe, expect, test } from 'vitest';
import type { GenerationEvent, LayerTrace } from '../../src/generation/events.ts';
import { DEFAULT_GATE_CHOICES, focusOf, gateReducer, resolvedSpan, type GateChoices, type GateContext } from '../../src/tui/gate-choice.ts';
import { gateTokens } from '../../src/tui/story-run.ts';
import { initialStoryState, selectedToken, storyReducer, type StoryAction, type StoryState } from '../../src/tui/story-state.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';

// Four units over 30 tokens: unit 2 holds a level and jumps twice (a memory cell), unit 0 is noisy, unit 1
// a slow ramp, unit 3 constant.
const trace = (t: number): LayerTrace[] => {
  const forget = [((t * 7919) % 13) / 13, t / 30, t < 10 ? 0.1 : t < 20 ? 0.9 : 0.5, 0.5];
  return [{ forget, input: forget, output: forget, cell: forget.map((v) => 2 * v - 1) }];
};
const tokens = Array.from({ length: 30 }, (_, t) => ({ text: t % 6 === 5 ? '.' : 'a', gates: trace(t) }));
const ctx = (cursor = 29): GateContext => ({ tokens, layer: 0, kind: 'forget', cursor });

const apply = (g: GateChoices, ...ops: Parameters<typeof gateReducer>[1][]) => ops.reduce((acc, op) => gateReducer(acc, op, ctx(acc.span ? 20 : 29)).gates, g);

describe('gate choices', () => {
  test('v cycles the summary, and from a unit goes back to the summary last shown', () => {
    const g = apply(DEFAULT_GATE_CHOICES, { op: 'summary' });
    expect(focusOf(g)).toEqual({ summary: 'share' });
    expect(focusOf(apply(g, { op: 'summary' }, { op: 'summary' }))).toEqual({ summary: 'mean' });
    const unit = apply(g, { op: 'unit', dir: 1 });
    expect(focusOf(unit)).toEqual({ unit: 0 });
    expect(focusOf(apply(unit, { op: 'summary' }))).toEqual({ summary: 'share' });
  });

  test('> goes to the best unit by the rule and on down the ranking; < comes back', () => {
    const r = gateReducer(DEFAULT_GATE_CHOICES, { op: 'suggest', dir: 1 }, ctx());
    expect(r.gates.unit).toBe(2);
    expect(r.message).toMatch(/^unit 2: 1st of 4 that holds a value and changes it in a few jumps/);
    const next = gateReducer(r.gates, { op: 'suggest', dir: 1 }, ctx());
    expect(next.gates.unit).not.toBe(2);
    expect(next.message).toMatch(/2nd of 4/);
    expect(gateReducer(next.gates, { op: 'suggest', dir: -1 }, ctx()).gates.unit).toBe(2);
  });

  test('x switches the rule the suggestions follow (the span rule only with a span)', () => {
    const rules = [];
    let g = DEFAULT_GATE_CHOICES;
    for (let i = 0; i < 3; i++) rules.push((g = apply(g, { op: 'rule' })).rule);
    expect(rules).toEqual(['variance', 'boundary', 'memory']);
    const r = gateReducer(apply(g, { op: 'rule' }), { op: 'suggest', dir: 1 }, ctx());
    expect(r.message).toMatch(/that varies most over the story/);
    const variance = (u: number) => {
      const xs = tokens.map((t) => t.gates[0].forget![u]);
      const m = xs.reduce((a, b) => a + b) / xs.length;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0);
    };
    expect(r.gates.unit).toBe([0, 1, 2, 3].sort((a, b) => variance(b) - variance(a))[0]);
  });

  test(', and . step through unit numbers and wrap round', () => {
    expect(apply(DEFAULT_GATE_CHOICES, { op: 'unit', dir: -1 }).unit).toBe(3);
    expect(apply(DEFAULT_GATE_CHOICES, { op: 'unit', dir: 1 }, { op: 'unit', dir: 1 }).unit).toBe(1);
    expect(apply(DEFAULT_GATE_CHOICES, { op: 'unit', dir: -1 }, { op: 'unit', dir: 1 }).unit).toBe(0);
  });

  test('z cycles the scale: fitted percentiles, min–max, fixed', () => {
    const g1 = apply(DEFAULT_GATE_CHOICES, { op: 'scale' });
    expect([DEFAULT_GATE_CHOICES.scale, g1.scale, apply(g1, { op: 'scale' }).scale]).toEqual(['fit', 'range', 'fixed']);
  });

  test('b anchors a span that follows the cursor, fixes it, then clears it; the span rule comes and goes with it', () => {
    const open = gateReducer(DEFAULT_GATE_CHOICES, { op: 'mark' }, ctx(12)).gates;
    expect(open.rule).toBe('span');
    expect(resolvedSpan(open, 15)).toEqual({ from: 12, to: 15 });
    expect(resolvedSpan(open, 3)).toEqual({ from: 3, to: 12 });
    const fixed = gateReducer(open, { op: 'mark' }, ctx(17)).gates;
    expect(resolvedSpan(fixed, 0)).toEqual({ from: 12, to: 17 });
    // Unit 2 is at its high level exactly from token 10 to 19, so it sets tokens 12-17 apart best.
    expect(gateReducer(fixed, { op: 'suggest', dir: 1 }, ctx(0)).gates.unit).toBe(2);
    const cleared = gateReducer(fixed, { op: 'mark' }, ctx(0)).gates;
    expect(cleared.span).toBeNull();
    expect(cleared.rule).toBe('memory');
  });

  test('without tokens the keys say so and change nothing', () => {
    const none: GateContext = { tokens: [], layer: 0, kind: 'forget', cursor: -1 };
    for (const op of [{ op: 'suggest', dir: 1 }, { op: 'unit', dir: 1 }, { op: 'mark' }] as const) {
      const r = gateReducer(DEFAULT_GATE_CHOICES, op, none);
      expect(r.gates).toBe(DEFAULT_GATE_CHOICES);
      expect(r.message).toMatch(/no (forget values|tokens)/);
    }
  });
});

describe('prompt tokens in the story state', () => {
  const reduce = (s: StoryState, ...actions: StoryAction[]) => actions.reduce(storyReducer, s);
  const g = trace(0);
  function told(): StoryState {
    let s = initialStoryState({ model: FAKE_MODEL.name });
    s = reduce(s, { type: 'model-loaded', id: s.loading!.id, model: FAKE_MODEL }, { type: 'edit', op: { insert: 'ab' } }, { type: 'submit' });
    const events: GenerationEvent[] = [
      { type: 'prompt', tokens: [{ index: 0, id: 1, text: 'a', prob: 0.1, top: [], gates: g }, { index: 1, id: 2, text: 'b', prob: 0.2, top: [], gates: g }] },
      { type: 'token', index: 0, id: 3, text: 'c', prob: 0.3, top: [], gates: g },
    ];
    return reduce(s, { type: 'gen-events', runId: s.run!.id, events });
  }

  test('the story asks for the prompt trace and shows prompt tokens first', () => {
    const s = told();
    expect(s.run!.options.tracePrompt).toBe(true);
    expect(gateTokens(s.run).map((t) => t.text)).toEqual(['a', 'b', 'c']);
    expect(s.run!.text).toBe('c');
  });

  test('the cursor moves over prompt tokens too', () => {
    const s = told();
    expect(selectedToken(s)).toBe(2);
    expect(selectedToken(reduce(s, { type: 'move-cursor', delta: -5 }))).toBe(0);
  });

  test('a new story forgets the span marked in the old one', () => {
    let s = reduce(told(), { type: 'move-cursor', delta: -1 }, { type: 'gate', op: { op: 'mark' } });
    expect(s.gates.span).not.toBeNull();
    s = reduce(s, { type: 'generate' });
    expect(s.gates.span).toBeNull();
    expect(s.gates.rule).toBe('memory');
  });

  test('a continuation reuses the traces of the story so far instead of asking for the prompt again', () => {
    let s = told();
    s = reduce(s, { type: 'gen-event', runId: s.run!.id, event: { type: 'end', reason: 'length', text: 'c', tokens: 1, seed: 's' } });
    const before = gateTokens(s.run);
    s = reduce(s, { type: 'generate', continue: true });
    expect(s.run!.primeText).toBe('abc');
    expect(s.run!.options.tracePrompt).toBe(false);
    expect(gateTokens(s.run)).toEqual(before);
  });

  test('a new prompt is traced afresh', () => {
    const s = reduce(told(), { type: 'generate' });
    expect(s.run!.options.tracePrompt).toBe(true);
    expect(s.run!.promptTokens).toBeUndefined();
  });

  test('a model without the unit shown goes back to the summary; one with it keeps it', () => {
    const s = reduce(told(), { type: 'gate', op: { op: 'unit', dir: -1 } });
    expect(s.gates.unit).toBe(3);
    const load = (st: StoryState, hiddenSize: number) => {
      const next = reduce(st, { type: 'load-model', target: 'other' });
      return reduce(next, { type: 'model-loaded', id: next.loading!.id, model: { ...FAKE_MODEL, name: 'other', hiddenSize } });
    };
    expect(load(s, 3).gates.unit).toBeNull();
    expect(load(s, 64).gates.unit).toBe(3);
  });

  test('K goes back through the kinds', () => {
    const s = told();
    expect(reduce(s, { type: 'cycle-kind', dir: -1 }).gates.kind).toBe('cell');
    expect(reduce(s, { type: 'cycle-kind', dir: -1 }, { type: 'cycle-kind', dir: -1 }).gates.kind).toBe('output');
  });
});
