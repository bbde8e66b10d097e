// Every command that tells "a story" offers the same settings: the same flags, help and defaults as npm start,
// and the same story for the same seed.
import { describe, expect, test } from 'vitest';
import { STORY_DEFAULTS } from '../../src/generation/story-defaults.ts';
import { storyteller } from '../support/cli.ts';

const STORY_FLAG_NAMES = ['--prime', '--temperature', '--top-p', '--length'];

/** The help lines of the story flags, as a command prints them. */
function storyFlagLines(command: string): string[] {
  const r = storyteller([command, '--help']);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => STORY_FLAG_NAMES.some((f) => l.trimStart().startsWith(`${f} `)));
}

describe('the story flags', () => {
  test('start, tui, stories and card list the same four flags with the same help and defaults', () => {
    const start = storyFlagLines('start');
    expect(start).toHaveLength(4);
    expect(start.join('\n')).toContain(`(default: ${STORY_DEFAULTS.prime})`);
    expect(start.join('\n')).toContain(`(default: ${STORY_DEFAULTS.length})`);
    for (const command of ['tui', 'stories', 'card']) expect(storyFlagLines(command)).toEqual(start);
  });

  test('a card\'s sample is the story npm start tells for that seed and those flags', () => {
    const flags = ['--checkpoint', 'doug-jane-spot', '--prime', 'Doug', '--length', '40', '--temperature', '0.9'];
    const started = storyteller(['start', ...flags, '--seed', '7']);
    expect(started.code).toBe(0);
    const card = storyteller(['card', ...flags, '--seeds', '7']);
    expect(card.code).toBe(0);
    const quoted = card.stdout.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2)).join('\n').trim();
    expect(quoted).toBe(started.stdout.trim());
  });
});
