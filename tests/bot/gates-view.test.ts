// /gates takes the terminal gate view's choices: a unit or a summary, and the colour scale, in the ANSI block
// and the heatmap, checked for contradictions before any story is written.
import { describe, expect, test } from 'vitest';
import { readGateView } from '../../src/discord/commands/gates.ts';
import type { StoryRun } from '../../src/discord/generate.ts';
import { gateHeatmapInput, gatesReply } from '../../src/discord/replies.ts';
import { UserError } from '../../src/errors.ts';
import { DISCORD_GATE_CODES } from '../../src/render/colors.ts';

// Unit 1 switches from low to high halfway; the others sit at 0.7.
const forget = Array.from({ length: 10 }, (_, t) => [0.7, t < 5 ? 0.1 : 0.9, 0.7]);
const run = (view?: StoryRun['view']): StoryRun => ({
  model: 'tales-char',
  prime: 'Once',
  text: 'abcdefghij',
  tokens: [...'abcdefghij'],
  seed: 's',
  options: { length: 10, temperature: 0.8, topK: 0, topP: 1, stop: 'none', finish: false },
  forget,
  layer: 1,
  layers: 1,
  cut: false,
  view,
});

const options = (o: { unit?: number; summary?: string; scale?: string }) => ({
  getString: (n: string) => (n === 'summary' ? (o.summary ?? null) : n === 'scale' ? (o.scale ?? null) : null),
  getInteger: (n: string) => (n === 'unit' ? (o.unit ?? null) : null),
  getNumber: () => null,
  getBoolean: () => null,
});

/** The colour code in front of each token of the block (a token without one keeps the colour before it). */
function codes(content: string, tokens: string[]): number[] {
  const body = content.slice(content.indexOf('```ansi\n') + 8);
  const lines = body.split('\n');
  const story = lines.slice(1).join('\n');
  const out: number[] = [];
  let at = 0;
  let current = -1;
  for (const t of tokens) {
    const m = /^\u001b\[0;(\d+)m/.exec(story.slice(at));
    if (m) {
      current = Number(m[1]);
      at += m[0].length;
    }
    expect(story.slice(at, at + t.length)).toBe(t);
    at += t.length;
    out.push(current);
  }
  return out;
}

describe('/gates view options', () => {
  test('read a unit, a summary and a scale; nothing given means the default view', () => {
    expect(readGateView(options({}))).toBeUndefined();
    expect(readGateView(options({ unit: 1, scale: 'range' }))).toEqual({ focus: { unit: 1 }, scale: 'range' });
    expect(readGateView(options({ summary: 'share' }))).toEqual({ focus: { summary: 'share' }, scale: 'fit' });
  });

  test('refuse a unit and a summary together, and values a stale deployment could send', () => {
    expect(() => readGateView(options({ unit: 1, summary: 'mean' }))).toThrow(UserError);
    expect(() => readGateView(options({ summary: 'loudest' }))).toThrow(/summary must be one of mean, share, change/);
    expect(() => readGateView(options({ scale: 'log' }))).toThrow(/scale must be one of fit, range, fixed/);
  });

  test('a unit colours the block by that unit: its low half and high half in the two ends of the scale', () => {
    const r = run({ focus: { unit: 1 }, scale: 'range' });
    const reply = gatesReply(r, 'Once', new Uint8Array([1]));
    expect(reply.content).toMatch(/^Forget gate, layer 1 of 1, unit 1, colours 0.10 to 0.90 \(min–max of the story\)/);
    const c = codes(reply.content, r.tokens);
    expect(new Set(c.slice(0, 5))).toEqual(new Set([DISCORD_GATE_CODES[0]]));
    expect(new Set(c.slice(5))).toEqual(new Set([DISCORD_GATE_CODES[DISCORD_GATE_CODES.length - 1]]));
  });

  test('the mean over these units barely moves, yet the fitted scale still spans the colours', () => {
    const c = codes(gatesReply(run(), 'Once', new Uint8Array([1])).content, run().tokens);
    expect(new Set(c).size).toBeGreaterThanOrEqual(2);
  });

  test('the heatmap input carries the view, and a unit the model lacks is refused before drawing', () => {
    expect(gateHeatmapInput(run({ focus: { summary: 'change' }, scale: 'fixed' }))).toMatchObject({ focus: { summary: 'change' }, scale: 'fixed' });
    expect(gateHeatmapInput(run())).toMatchObject({ scale: 'fit' });
    expect(() => gateHeatmapInput(run({ focus: { unit: 3 } }))).toThrow('unit must be 0 to 2 for tales-char (got 3)');
  });
});
