// The three episodes: typed prose between the country and "I speak fluent". The prose LSTM must
// answer French, Japanese and Spanish, and hold the country across sentences typed the way a class shouts
// them out: unfinished, in capitals, with digits and semicolons.
import { describe, expect, it } from 'vitest';
import { scoreEpisode } from '../../src/demos/long-dependency.ts';
import { COUNTRY_LANGUAGE, INTRO, QUESTION } from '../../src/demos/long-dependency-corpus.ts';
import { EPISODE_PROMPT, EXAMPLE_EPISODES, EXAMPLE_FILLER, PROSE_MODEL } from '../../src/demos/long-dependency-examples.ts';
import { isFillerSentence, proseSentences } from '../../src/demos/long-dependency-prose.ts';
import { loadModel } from '../../src/models.ts';

/** Fillers as a person types them, none from a book. */
const TYPED: ReadonlyArray<readonly [country: string, filler: string]> = [
  ['Germany', 'My zebra, Quentin, ate 37 boxes of jam; then he slept until Tuesday!'],
  ['Italy', 'we didnt use capital letters or full stops at our school and nobody minded at all because the teacher was my aunt'],
  ['France', 'My best friend lives next door'],
  ['Hungary', 'OUR TEACHER SHOUTED: "STOP RUNNING IN THE CORRIDOR!" We stopped.'],
  ['Turkey', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10. The rocket went up into the sky and everybody cheered.'],
  ['Greece', "Mum says I ask too many questions. Why is the sky blue? Why do cats purr? Why can't I stay up late?"],
];

describe('the example episodes', () => {
  it('are the issue\'s three prompts: intro, everyday filler, "I speak fluent"', () => {
    expect(EXAMPLE_EPISODES.map((e) => [e.country, e.language])).toEqual([['France', 'French'], ['Japan', 'Japanese'], ['Spain', 'Spanish']]);
    for (const e of EXAMPLE_EPISODES) {
      expect(new Map(COUNTRY_LANGUAGE).get(e.country)).toBe(e.language);
      expect(e.prompt).toBe(`${INTRO(e.country)} ${EXAMPLE_FILLER} ${QUESTION.trimEnd()}`);
    }
    expect(EPISODE_PROMPT).toBe(EXAMPLE_EPISODES[0]!.prompt);
    // The filler is the kind of prose the model trains on, and gives nothing away.
    const sentences = proseSentences(EXAMPLE_FILLER);
    expect(sentences).toHaveLength(3);
    expect(sentences.every(isFillerSentence)).toBe(true);
  });

  it(`answer French, Japanese and Spanish with ${PROSE_MODEL}`, async () => {
    const lm = await loadModel(PROSE_MODEL);
    const answers = EXAMPLE_EPISODES.map((e) => scoreEpisode(lm, { country: e.country, language: e.language, gap: 0, text: `${e.prompt} ${e.language}.` }).completion);
    expect(answers).toEqual(['French', 'Japanese', 'Spanish']);
  });

  it.each([PROSE_MODEL, 'long-dep-prose-gru'])('hold the country across sentences typed the way a class shouts them (%s)', async (name) => {
    const lm = await loadModel(name);
    const pairs = new Map(COUNTRY_LANGUAGE);
    const answers = TYPED.map(([country, filler]) => {
      const language = pairs.get(country)!;
      return scoreEpisode(lm, { country, language, gap: 0, text: `${INTRO(country)} ${filler} ${QUESTION}${language}.` }).completion;
    });
    expect(answers).toEqual(TYPED.map(([country]) => pairs.get(country)));
  });
});
