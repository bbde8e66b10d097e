// What the gate view shows on the shipped models, measured through the story screen's own state and colouring:
// the default view of a tales-char story spreads its tokens over the colour scale, and three keys find the
// memory cell of long-dep-lstm (docs/demos.md), whose colour tells two countries' episodes apart.
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generation/generator.ts';
import { loadModel, summarize } from '../../src/models.ts';
import { rgbAt } from '../../src/render/colors.ts';
import { bucketHistogram, fitScale, scaleBucket, scaleRgb } from '../../src/render/gate-scale.ts';
import { gateColouring } from '../../src/tui/gate-view.tsx';
import { storyKeyIntents } from '../../src/tui/story-keys.ts';
import { gateTokens } from '../../src/tui/story-run.ts';
import { initialStoryState, storyReducer, type StoryAction, type StoryState } from '../../src/tui/story-state.ts';

/** The story screen with `model` loaded, told `prime` to the end (in-process, the same events the worker sends). */
async function toldStory(model: string, init: Partial<Parameters<typeof initialStoryState>[0]>, exactLength = false): Promise<StoryState> {
  const lm = await loadModel(model);
  let s = initialStoryState({ model, ...init });
  s = storyReducer(s, { type: 'model-loaded', id: s.loading!.id, model: summarize(lm) });
  const run = s.run!;
  // exactLength: all `length` characters, not ending early at a paragraph.
  const options = exactLength ? { ...run.options, stop: 'none' as const, finish: false } : run.options;
  for (const event of generate(lm, options)) s = storyReducer(s, { type: 'gen-event', runId: run.id, event });
  return s;
}

function press(s: StoryState, keys: string): StoryState {
  for (const k of keys) for (const it of storyKeyIntents(s, k, {})) s = storyReducer(s, it as StoryAction);
  return s;
}

const colouring = (s: StoryState) => {
  const g = s.gates;
  return gateColouring(gateTokens(s.run), g.layer, g.kind, g.unit === null ? { summary: g.summary } : { unit: g.unit }, g.scale);
};

describe('the default gate view of a tales-char story (npm start settings, 600 characters)', () => {
  // Two seeds: the check is about the scale, not one story.
  for (const seed of ['42', 'gate-view']) {
    it(`puts at least 5 of its 10 colour buckets at 5 % of the tokens or more (seed ${seed})`, async () => {
      const s = await toldStory('tales-char', { prime: 'Once upon a time', seed, temperature: 0.7, topP: 0.8, length: 600 }, true);
      expect(s.run!.status).toBe('done');
      expect(s.run!.promptTokens).toHaveLength('Once upon a time'.length);
      const { values, scale } = colouring(s);
      const h = bucketHistogram(values, scale);
      const n = h.reduce((a, b) => a + b);
      const fixed = bucketHistogram(values, fitScale(values, scale.kind, 'fixed'));
      const share = (xs: number[]) => xs.map((c) => `${Math.round((100 * c) / n)}%`).join(' ');
      console.log(`tales-char seed ${seed}: ${n} tokens, mean forget gate ${scale.lo.toFixed(3)}-${scale.hi.toFixed(3)} (5th-95th pct)\n` +
        `  fitted buckets: ${share(h)}\n  fixed 0-1:      ${share(fixed)}`);
      expect(s.run!.tokens).toHaveLength(600);
      expect(h.filter((c) => c >= 0.05 * n).length).toBeGreaterThanOrEqual(5);
    }, 60_000);
  }
});

describe('the memory cell of long-dep-lstm in the gate view', () => {
  const FILLER_A = 'Sally has a red ball. Spot and Doug run. Mother is happy. Jane sees the kite.';
  const FILLER_B = 'Father has a little boat. Puff and Sally sit. Doug saw the car. Jane can play.';
  // Denmark and Finland sit far apart on unit 24's levels.
  const prime = `I grew up in Denmark. ${FILLER_A} I speak fluent Danish.\nI grew up in Finland. ${FILLER_B} I speak fluent Finnish.\n`;

  it('is reached with g K > (gate view, cell state, first suggested unit) and separates the two episodes', async () => {
    let s = await toldStory('long-dep-lstm', { prime, seed: '1', temperature: 0.7, topP: 0.8, length: 200 });
    s = press(s, 'gK>');
    expect(s.gates).toMatchObject({ visible: true, kind: 'cell', unit: 24, rule: 'memory' });

    const tokens = gateTokens(s.run);
    const { values, scale } = colouring(s);
    const text = tokens.map((t) => t.text).join('');
    const range = (filler: string) => {
      const from = text.indexOf(filler);
      return values.slice(from, from + filler.length);
    };
    const a = range(FILLER_A) as number[];
    const b = range(FILLER_B) as number[];
    const buckets = (xs: number[]) => xs.map((v) => scaleBucket(v, scale));
    const mean = (xs: number[][]) => [0, 1, 2].map((c) => xs.reduce((acc, x) => acc + x[c], 0) / xs.length);
    const ca = mean(a.map((v) => scaleRgb(v, scale)));
    const cb = mean(b.map((v) => scaleRgb(v, scale)));
    const distance = Math.hypot(ca[0] - cb[0], ca[1] - cb[1], ca[2] - cb[2]);
    console.log(`unit 24 cell, scale ${scale.lo.toFixed(2)}-${scale.hi.toFixed(2)}: Denmark filler ${Math.min(...a).toFixed(2)}-${Math.max(...a).toFixed(2)} ` +
      `buckets ${[...new Set(buckets(a))].join(',')}; Finland filler ${Math.min(...b).toFixed(2)}-${Math.max(...b).toFixed(2)} buckets ${[...new Set(buckets(b))].join(',')}; ` +
      `mean colours ${ca.map(Math.round)} vs ${cb.map(Math.round)}, distance ${distance.toFixed(0)}`);
    // Every filler character of one episode is coloured at least three buckets away from every one of the other.
    expect(Math.min(...buckets(a)) - Math.max(...buckets(b))).toBeGreaterThanOrEqual(3);
    // And the colours are far apart: more than a third of the way from the map's light end to its dark end.
    const span = Math.hypot(...[0, 1, 2].map((c) => rgbAt(1, 'cell')[c] - rgbAt(0.5, 'cell')[c]));
    expect(distance).toBeGreaterThan(span / 3);
  }, 60_000);
});
