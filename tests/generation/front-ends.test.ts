// One seed, one story: npm start without a terminal and the story screen it opens in a terminal ask the
// generator for the same story, so a reader can get a story they saw again in either.
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/models.ts';
import { generateText } from '../../src/generation/generator.ts';
import { initialStoryState, storyReducer } from '../../src/tui/story-state.ts';
import { storyteller } from '../support/cli.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';

describe('the same story in every front end', () => {
  it('npm start prints the story the story screen tells for the same seed and settings', async () => {
    const printed = storyteller(['start', '--seed', 'same-story', '--length', '200']);
    expect(printed.code, printed.stderr).toBe(0);

    // The settings `start` hands the story screen (its defaults), and the run the screen asks for.
    let s = initialStoryState({ model: 'tales-char', prime: 'Once upon a time', seed: 'same-story', temperature: 0.7, topP: 0.8, length: 200 });
    s = storyReducer(s, { type: 'model-loaded', id: s.loading!.id, model: { ...FAKE_MODEL, name: 'tales-char' } });
    const lm = await loadModel('tales-char');
    const told = generateText(lm, s.run!.options);
    expect(printed.stdout).toBe(`${told.primeText}${told.text.trimEnd()}\n`);
    // It ended at the end of a sentence, not mid-word.
    expect(told.text.trimEnd()).toMatch(/[.!?]["'”’)]?$/);
  });
});
