// Story statistics: what `storyteller stories` reports about a batch of stories.
import { describe, expect, it } from 'vitest';
import { endsAtSentence, repeatedPhraseRate, storyStats, vocabularyOf, words } from '../../src/generation/story-stats.ts';
import { storyteller } from '../support/cli.ts';

describe('story statistics', () => {
  it('counts words with inner apostrophes as one', () => {
    expect(words("Don't stop, Mr. Fox's hen!")).toEqual(["Don't", 'stop', 'Mr', "Fox's", 'hen']);
  });

  it('knows a story that ends at a finished sentence, closing quotes and white space allowed', () => {
    expect(endsAtSentence('Once upon a time they lived happily.')).toBe(true);
    expect(endsAtSentence('"Go home," she said. "Now!"\n\n')).toBe(true);
    expect(endsAtSentence('Once upon a time the common fi')).toBe(false);
    expect(endsAtSentence('wings of the ')).toBe(false);
  });

  it('measures repetition as the share of 4-word phrases seen earlier in the same story', () => {
    expect(repeatedPhraseRate('the cat sat on the mat')).toBe(0);
    // 10 words → 7 four-grams; "a b c d" comes back once and "b c d a" … : 3 repeats of 7.
    expect(repeatedPhraseRate('a b c d a b c d a b')).toBeCloseTo(3 / 7, 10);
    expect(repeatedPhraseRate('too short')).toBe(0);
  });

  it('summarises a batch: endings, word counts with percentiles, short stories, real words', () => {
    const stories = [
      { prompt: 'Once', text: ' upon a time.' },
      { prompt: 'Once', text: ' there was a zzyzx' },
      { prompt: 'Once', text: ' the end. The end. The end.' },
    ];
    const s = storyStats(stories, { vocabulary: vocabularyOf('once upon a time there was the end'), shortWords: 5 });
    expect(s.stories).toBe(3);
    expect(s.endAtSentence).toBeCloseTo(2 / 3, 10);
    expect(s.words).toEqual({ min: 4, p10: 4, median: 5, p90: 7, max: 7 });
    expect(s.short).toBe(1);
    // Generated words only: upon a time / there was a zzyzx / the end the end the end → 1 unknown of 13.
    expect(s.realWords).toBeCloseTo(12 / 13, 10);
  });

  it('storyteller stories prints the statistics for seeds 1..N', () => {
    const r = storyteller(['stories', '--checkpoint', 'doug-jane-spot', '--count', '3', '--length', '40', '--prime', 'Doug', '--data', 'corpora/early-reader.txt', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'doug-jane-spot', count: 3, stories: 3, reference: 1 });
    expect(out.realWords).toBeGreaterThan(0.9);
    expect(out.endAtSentence).toBe(1);
    const bad = storyteller(['stories', '--count', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--count must be from 1 to 10000/);
  });
});
