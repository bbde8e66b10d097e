// The three episodes: typed prose between the country and "I speak fluent". The prose LSTM must
// answer French, Japanese and Spanish; until that model is trained and shipped, the check is skipped and says so.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreEpisode } from '../../src/demos/long-dependency.ts';
import { COUNTRY_LANGUAGE, INTRO, QUESTION } from '../../src/demos/long-dependency-corpus.ts';
import { EPISODE_PROMPT, EXAMPLE_EPISODES, EXAMPLE_FILLER, PROSE_MODEL } from '../../src/demos/long-dependency-examples.ts';
import { isFillerSentence, proseSentences } from '../../src/demos/long-dependency-prose.ts';
import { loadModel, resolveModelPath } from '../../src/models.ts';

const file = resolveModelPath(PROSE_MODEL);
const trained = existsSync(file);
if (!trained) process.stderr.write(`long-dependency examples: skipping the answers check, ${file} is not trained yet\n`);

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

  if (!trained) it.skip(`answer French, Japanese and Spanish: skipped, ${file} is not trained yet (configs/long-dep-prose-lstm.json, docs/demos.md)`, () => {});
  else
    it(`answer French, Japanese and Spanish with ${PROSE_MODEL}`, async () => {
      const lm = await loadModel(PROSE_MODEL);
      const answers = EXAMPLE_EPISODES.map((e) => scoreEpisode(lm, { country: e.country, language: e.language, gap: 0, text: `${e.prompt} ${e.language}.` }).completion);
      expect(answers).toEqual(['French', 'Japanese', 'Spanish']);
    });
});
