// The family-friendly filter: obscenity's English dataset with its recommended transformers (leet-speak,
// repeated letters, look-alike characters), so variants are caught without a hand-made list. A flagged
// prompt is refused before anything is generated; a flagged word in a story is replaced by asterisks of
// the same length, so the story's tokens, footer and gate view still line up character for character.
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { UserError } from '../errors.ts';

export interface ContentFilter {
  /** True when the text contains a flagged word. */
  flags(text: string): boolean;
  /** The text with every flagged span replaced by '*' (same length in UTF-16 code units). */
  censor(text: string): string;
}

/** The one-line answer to a flagged prompt. */
export const FILTERED_PROMPT_MESSAGE = 'I only tell family-friendly stories; please try a different prompt.';

let matcher: RegExpMatcher | undefined;

// Built once per process and only when first needed: compiling the dataset takes a few milliseconds.
function sharedMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

export const familyFriendlyFilter: ContentFilter = {
  flags: (text) => sharedMatcher().hasMatch(text),
  censor(text) {
    const matches = sharedMatcher().getAllMatches(text);
    if (!matches.length) return text;
    const units = text.split('');
    for (const m of matches) for (let i = m.startIndex; i <= m.endIndex && i < units.length; i++) units[i] = '*';
    return units.join('');
  },
};

/** The filter switched off: nothing is flagged or changed. */
export const noFilter: ContentFilter = { flags: () => false, censor: (text) => text };

/** Splits censored text back into tokens of the original lengths (censoring keeps the length). */
export function censorTokens(filter: ContentFilter, tokens: string[]): string[] {
  const text = tokens.join('');
  const censored = filter.censor(text);
  if (censored === text) return tokens;
  const out: string[] = [];
  let at = 0;
  for (const t of tokens) {
    out.push(censored.slice(at, at + t.length));
    at += t.length;
  }
  return out;
}

/** Throws the polite refusal when any of the texts is flagged. */
export function refuseFlagged(filter: ContentFilter, ...texts: Array<string | undefined>): void {
  if (texts.some((t) => t && filter.flags(t))) throw new UserError(FILTERED_PROMPT_MESSAGE);
}
