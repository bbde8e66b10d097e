import { describe, expect, test } from 'vitest';
import { primeTail } from '../../src/discord/components/story-buttons.ts';
import type { StoryRun } from '../../src/discord/generate.ts';
import { runStory } from '../../src/discord/generate.ts';
import { gateHeatmapInput, gatesReply, renderGatePng, storyContent, storyFooter } from '../../src/discord/replies.ts';
import { StoryCache } from '../../src/discord/story-cache.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

function runOf(tokens: string[], extra: Partial<StoryRun> = {}): StoryRun {
  return {
    model: 'tales-char',
    prime: 'Once',
    text: tokens.join(''),
    tokens,
    seed: 'abc',
    options: { length: tokens.length, temperature: 0.8, topK: 0, topP: 1, stop: 'none', finish: false },
    cut: false,
    ...extra,
  };
}

describe('storyContent', () => {
  test('shows the prompt in bold, the story, and a footer with model and seed', () => {
    expect(storyContent(runOf([' upon', ' a', ' time']), 'Once')).toBe('**Once** upon a time\n-# tales-char · seed `abc` · temperature 0.8 · 3 tokens');
  });

  test('the footer mentions top-k only when it is on', () => {
    expect(storyFooter(runOf(['a'], { options: { length: 1, temperature: 1, topK: 40, topP: 1, stop: 'none', finish: false } }))).toContain('top-k 40');
    expect(storyFooter(runOf(['a']))).not.toContain('top-k');
  });

  test('the footer mentions top-p only when it is on, so the story can be told again', () => {
    expect(storyFooter(runOf(['a'], { options: { length: 1, temperature: 1, topK: 0, topP: 0.8, stop: 'none', finish: false } }))).toContain('top-p 0.8');
    expect(storyFooter(runOf(['a']))).not.toContain('top-p');
  });

  test('a story longer than a message is cut at a token boundary and says how much is shown', () => {
    const tokens = Array.from({ length: 600 }, (_, i) => ` word${i}`);
    const content = storyContent(runOf(tokens), 'Once');
    expect(content.length).toBeLessThanOrEqual(2000);
    const shown = Number(/(\d+) of 600 tokens shown/.exec(content)?.[1]);
    expect(content).toContain(`${tokens.slice(0, shown).join('')}…`);
    expect(content).not.toContain(tokens[shown]);
  });

  test('markdown characters in the story do not push it past the limit once escaped', () => {
    const tokens = Array.from({ length: 1500 }, () => '*');
    expect(storyContent(runOf(tokens), 'Once').length).toBeLessThanOrEqual(2000);
  });

  test('an empty story says so', () => {
    expect(storyContent(runOf([]), 'Once')).toContain('nothing to add');
  });
});

describe('gatesReply', () => {
  test('colours the story from the engine trace and attaches a PNG', async () => {
    const run = await runStory(new FakeStoryEngine(), FAKE_MODEL.name, { prime: 'Jane', length: 50, seed: 'x' }, { gates: true });
    const png = await renderGatePng(new FakeStoryEngine(), gateHeatmapInput(run));
    const reply = gatesReply(run, 'Jane', png);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toContain(`layer ${FAKE_MODEL.layers} of ${FAKE_MODEL.layers}`);
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0].name).toBe('forget-gates.png');
  });
});

describe('runStory', () => {
  test('stops generating once the text outgrows a message', async () => {
    const run = await runStory(new FakeStoryEngine(), FAKE_MODEL.name, { prime: '', length: 5000 }, { maxChars: 100 });
    expect(run.cut).toBe(true);
    expect(run.text.length).toBe(101);
  });

  test('collects the forget gates of the requested layer, tokens × units', async () => {
    const run = await runStory(new FakeStoryEngine(), FAKE_MODEL.name, { prime: '', length: 7 }, { gates: true, layer: 1 });
    expect(run.forget).toHaveLength(7);
    expect(run.forget![0]).toHaveLength(FAKE_MODEL.hiddenSize);
    expect(run.layer).toBe(1);
  });

  test('a layer beyond the model is a user error', async () => {
    await expect(runStory(new FakeStoryEngine(), FAKE_MODEL.name, { prime: '', length: 3 }, { gates: true, layer: 5 })).rejects.toThrow(/layer must be from 1 to 2/);
  });
});

describe('StoryCache', () => {
  test('forgets the least recently used story beyond its capacity', () => {
    const cache = new StoryCache(2);
    const s = { run: runOf(['a']), prompt: 'p' };
    cache.set('1', s);
    cache.set('2', s);
    cache.get('1');
    cache.set('3', s);
    expect([cache.get('1'), cache.get('2'), cache.get('3')].map(Boolean)).toEqual([true, false, true]);
  });
});

describe('primeTail', () => {
  test('keeps a short story whole', () => {
    expect(primeTail('Once upon a time', 100)).toBe('Once upon a time');
  });

  test('keeps the end of a long story, dropping a word cut in half', () => {
    expect(primeTail('alpha beta gamma delta', 9)).toBe('delta');
  });

  test('keeps a first word that the cut leaves whole', () => {
    expect(primeTail('alpha beta gamma delta', 11)).toBe('gamma delta');
  });
});
