// Measures the one mistake the early-reader corpus never makes: "X saw X." (someone seeing
// themselves). The corpus has many "X saw Y." sentences and no "X saw X.", so the rate of
// self-seeing in a model's output says whether it learned that the two names differ.

export interface SawSelfReport {
  /** Sentences found in the text (a line break also ends a sentence). */
  sentences: number;
  /** Sentences of the form "X saw Y." with X and Y single names. */
  sawSentences: number;
  /** Of those, the ones where X and Y are the same name (case-insensitive). */
  selfSaw: number;
  /** selfSaw / sawSentences, 0 when there are no saw sentences. */
  rate: number;
  /** Up to five distinct offending sentences, as written. */
  examples: string[];
}

const MAX_EXAMPLES = 5;

// A sentence runs to its terminal punctuation (plus any closing quote) or to the end of its line;
// lines end sentences because the early reader writes one per line and a model that drops a
// full stop should not have two sentences glued into one.
const SENTENCE = /[^.!?\n]+(?:[.!?]+["'”’]?|$)/gm;
// Opening/closing quotes are stripped so "Jane saw Jane." inside dialogue still counts.
const QUOTES = /^["'“‘]+|["'”’]+$/g;
const SAW = /^(\p{L}[\p{L}'’-]*) saw (\p{L}[\p{L}'’-]*)[.!?]*$/u;

/** Splits text into trimmed sentences (see SENTENCE for the rule). */
export function splitSentences(text: string): string[] {
  const found = text.match(SENTENCE) ?? [];
  return found.map((s) => s.trim()).filter((s) => /\p{L}/u.test(s));
}

export function sawSelfReport(text: string): SawSelfReport {
  const sentences = splitSentences(text);
  let sawSentences = 0;
  let selfSaw = 0;
  const examples: string[] = [];
  for (const sentence of sentences) {
    const match = SAW.exec(sentence.replace(QUOTES, '').trim().replace(/\s+/g, ' '));
    if (!match) continue;
    sawSentences++;
    if (match[1]!.toLowerCase() !== match[2]!.toLowerCase()) continue;
    selfSaw++;
    if (examples.length < MAX_EXAMPLES && !examples.includes(sentence)) examples.push(sentence);
  }
  return {
    sentences: sentences.length,
    sawSentences,
    selfSaw,
    rate: sawSentences === 0 ? 0 : selfSaw / sawSentences,
    examples,
  };
}
