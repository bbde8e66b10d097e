// What a reader notices about a batch of stories, measured: does each end at the end of a sentence, how long
// is it in words, are its words real (found in the training text), and how much does it repeat itself.

const WORD = /\p{L}+(?:['\u2019]\p{L}+)*/gu;
/** A sentence's last letter or digit, its end mark, then closing quotes or brackets and white space only. */
const ENDS_AT_SENTENCE = /[\p{L}\p{N}][^\n]*[.!?]["'\u201D\u2019)\]]*\s*$/u;
/** Word n-grams of this length that occur a second time in a story count as repetition. */
export const REPEAT_NGRAM = 4;

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function endsAtSentence(story: string): boolean {
  return ENDS_AT_SENTENCE.test(story);
}

/** Share of the story's word n-grams that already appeared earlier in the same story. */
export function repeatedPhraseRate(story: string, n = REPEAT_NGRAM): number {
  const w = words(story.toLowerCase());
  if (w.length < n) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i + n <= w.length; i++) {
    const g = w.slice(i, i + n).join(' ');
    if (seen.has(g)) repeated++;
    else seen.add(g);
  }
  return repeated / (w.length - n + 1);
}

/** The lower-cased words of a text: what "a real word" is checked against. */
export function vocabularyOf(text: string): Set<string> {
  return new Set(words(text.toLowerCase()));
}

export interface StoryStats {
  stories: number;
  /** Share of stories whose last sentence is finished (end mark, then only closing quotes or brackets). */
  endAtSentence: number;
  /** Word counts of the stories (prompt included, as printed): minimum, 10th percentile, median, 90th, maximum. */
  words: { min: number; p10: number; median: number; p90: number; max: number };
  /** Stories shorter than `shortWords` words. */
  short: number;
  shortWords: number;
  /** Share of generated words (prompt excluded) found in the reference vocabulary; undefined without one. */
  realWords?: number;
  /** Mean over stories of repeatedPhraseRate. */
  repeatedPhrases: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))];
}

/** Statistics of stories given as { prompt, text } (text = what the model wrote after the prompt). */
export function storyStats(stories: Array<{ prompt: string; text: string }>, opts: { vocabulary?: Set<string>; shortWords?: number } = {}): StoryStats {
  const shortWords = opts.shortWords ?? 60;
  const counts = stories.map((s) => words(s.prompt + s.text).length).sort((a, b) => a - b);
  let known = 0;
  let total = 0;
  if (opts.vocabulary) {
    for (const s of stories) {
      for (const w of words(s.text.toLowerCase())) {
        total++;
        if (opts.vocabulary.has(w)) known++;
      }
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    stories: stories.length,
    endAtSentence: mean(stories.map((s) => (endsAtSentence(s.prompt + s.text) ? 1 : 0))),
    words: { min: counts[0] ?? 0, p10: percentile(counts, 10), median: percentile(counts, 50), p90: percentile(counts, 90), max: counts.at(-1) ?? 0 },
    short: counts.filter((c) => c < shortWords).length,
    shortWords,
    ...(opts.vocabulary ? { realWords: total ? known / total : 1 } : {}),
    repeatedPhrases: mean(stories.map((s) => repeatedPhraseRate(s.prompt + s.text))),
  };
}
