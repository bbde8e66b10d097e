// The terminal UI's gate view on an LSTM without a forget gate: generation traces a stream of episodes typed as
// the prompt, the story screen falls back from the forget gate (which the cell does not have) to the cell state,
// never offers a forget gate, and the cell state it colours by grows from episode to episode beyond the ±1 of
// a fixed scale, which the default fitted scale follows.
import { describe, expect, it } from 'vitest';
import { loadFillerPool } from '../../src/demos/long-dependency-corpus.ts';
import { makeStreams } from '../../src/demos/multi-episode.ts';
import { generate } from '../../src/generation/generator.ts';
import type { GenerationEvent } from '../../src/generation/events.ts';
import { fitScale } from '../../src/render/gate-scale.ts';
import { allValues, availableKinds, meanValue } from '../../src/tui/gate-stats.ts';
import { initialStoryState, storyReducer, type StoryAction, type StoryState } from '../../src/tui/story-state.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';
import { episodeTokenizer, ROOT, untrainedModel } from './variant-models.ts';

const reduce = (s: StoryState, ...actions: StoryAction[]) => actions.reduce(storyReducer, s);

describe('the gate view on lstm-no-forget', () => {
  const lm = untrainedModel('lstm-no-forget', episodeTokenizer());
  const [stream] = makeStreams({ fillers: loadFillerPool(ROOT, 'early-reader', 'test'), streams: 1, episodes: 5, seed: 'gate-view' });
  const events: GenerationEvent[] = [...generate(lm, { prime: stream!.text, length: 5, trace: true, tracePrompt: true, seed: 'gate-view', stop: 'none', finish: false })];

  function storyScreen(): StoryState {
    let s = initialStoryState({ model: FAKE_MODEL.name });
    s = reduce(s, { type: 'model-loaded', id: s.loading!.id, model: FAKE_MODEL }, { type: 'mode', mode: 'prompt' }, { type: 'edit', op: { insert: 'x' } }, { type: 'submit' });
    return reduce(s, { type: 'gen-events', runId: s.run!.id, events });
  }

  it('shows the cell state, and the kinds it cycles through have no forget gate', () => {
    let s = storyScreen();
    expect(s.gates.kind).toBe('cell');
    const tokens = [...s.run!.promptTokens!, ...s.run!.tokens];
    expect(availableKinds(tokens)).toEqual(['input', 'output', 'cell']);
    const seen = new Set([s.gates.kind]);
    for (let i = 0; i < 4; i++) seen.add((s = storyReducer(s, { type: 'cycle-kind' })).gates.kind);
    expect(seen).toEqual(new Set(['input', 'output', 'cell']));
  });

  it('colours by a cell state that grows episode after episode, on a fitted scale wider than ±1', () => {
    const s = storyScreen();
    const tokens = s.run!.promptTokens!;
    expect(tokens.map((t) => t.text).join('')).toBe(stream!.text);
    // Mean |c| over the units at each prompt character, as the view's summary reads the trace.
    const level = tokens.map((t) => meanValue(t.gates![0]!.cell!.map(Math.abs))!);
    const lines = stream!.text.split('\n');
    const firstEnd = lines[0]!.length;
    const lastStart = stream!.text.length - lines.at(-1)!.length;
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(level.slice(lastStart))).toBeGreaterThan(2 * mean(level.slice(0, firstEnd)));
    const scale = fitScale(allValues(tokens, 0, 'cell'), 'cell', 'fit');
    expect(Math.max(Math.abs(scale.lo), Math.abs(scale.hi))).toBeGreaterThan(1);
  });
});
