// The flags of "a story" (npm start, the story screen, `stories`, `card`): one declaration, defaults from
// STORY_DEFAULTS, so every command that tells a story offers the same settings with the same help.
import { STORY_DEFAULTS } from '../generation/story-defaults.ts';
import type { Flags, Parsed } from './args.ts';

export const STORY_FLAGS = {
  prime: { type: 'string', default: STORY_DEFAULTS.prime, help: 'text the story starts with' },
  temperature: { type: 'number', default: STORY_DEFAULTS.temperature, help: 'sampling temperature' },
  'top-p': { type: 'number', default: STORY_DEFAULTS.topP, help: 'sample among the likeliest tokens covering p (1 = off)' },
  length: { type: 'int', default: STORY_DEFAULTS.length, help: 'tokens per story (it ends at the end of a sentence)' },
} as const satisfies Flags;

/** The generator settings those flags give, over the story defaults (ending included). */
export function storySettings(a: Parsed) {
  return {
    ...STORY_DEFAULTS,
    prime: a.prime as string,
    temperature: a.temperature as number,
    topP: a['top-p'] as number,
    length: a.length as number,
  };
}
