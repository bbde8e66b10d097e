// The episodes a class types: the three of the issue that the early-reader model got wrong (France →
// Danish, Japan → French, Spain → French), and a ready-made prompt the TUI and the Discord /demo offer, so a
// person can replace the filler with their own and watch the memory cell hold the country.
import { INTRO, QUESTION } from './long-dependency-corpus.ts';

/** The model these examples are for: the LSTM trained on prose filler (configs/long-dep-prose-lstm*.json). */
export const PROSE_MODEL = 'long-dep-prose-lstm';

/** Everyday children's prose, written for this project (not from any book). */
export const EXAMPLE_FILLER =
  'When I was small I liked to play in the garden with my little dog. We ran after the ball and sat under the big tree. My mother read me stories every night before bed.';

export interface ExampleEpisode {
  country: string;
  language: string;
  /** The prompt as a person types it: intro, filler, "I speak fluent" (no trailing space). */
  prompt: string;
}

const example = (country: string, language: string): ExampleEpisode => ({
  country,
  language,
  prompt: `${INTRO(country)} ${EXAMPLE_FILLER} ${QUESTION.trimEnd()}`,
});

/** The three sentences; the prose model should answer French, Japanese and Spanish. */
export const EXAMPLE_EPISODES: readonly ExampleEpisode[] = [example('France', 'French'), example('Japan', 'Japanese'), example('Spain', 'Spanish')];

/** The ready-made episode prompt (France) for the TUI and the bot: the model continues with " French." */
export const EPISODE_PROMPT = EXAMPLE_EPISODES[0]!.prompt;
