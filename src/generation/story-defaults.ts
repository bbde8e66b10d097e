// What "a story" means when a user asks for one without settings: npm start, the story screen, `storyteller
// stories` and model cards use these, so a seed tells the same story everywhere.
import { STORY_ENDING, type GenerateOptions } from './events.ts';

export const STORY_DEFAULTS = {
  prime: 'Once upon a time',
  // Cutting the least likely 20 % of each distribution keeps the char model on real words (measured on
  // tales-char: far fewer made-up words at the same temperature); 1 turns it off.
  temperature: 0.7,
  topP: 0.8,
  length: 600,
  bestOf: 1,
  ...STORY_ENDING,
} as const satisfies Partial<GenerateOptions>;
