// Word level: words (with inner apostrophes), numbers and single punctuation marks are tokens; a paragraph
// break is the token "\n". Rare words map to <unk>. The detokenizer rejoins punctuation and quotes so the
// output reads as prose.
import { UserError } from '../errors.ts';
import { foldCharacter, normalizeText } from './normalize.ts';
import { formatUnknown, type Detokenizer, type Encoded, type SerializedTokenizer, type Tokenizer, type UnknownPolicy } from './tokenizer.ts';

export const UNK = '<unk>';
export const PARAGRAPH = '\n';
const TOKEN_RE = /\n\s*\n|\p{L}+(?:['\u2019]\p{L}+)*|\p{N}+|[^\s]/gu;

export function splitWords(text: string): string[] {
  return (text.match(TOKEN_RE) ?? []).map((t) => (t.startsWith('\n') ? PARAGRAPH : t));
}

export class WordTokenizer implements Tokenizer {
  readonly level = 'word' as const;
  private readonly index: Map<string, number>;

  constructor(
    readonly vocab: readonly string[],
    readonly unwrap = true,
  ) {
    this.index = new Map(vocab.map((w, i) => [w, i]));
  }

  /** Keeps words seen at least minCount times, the most frequent maxVocab of them (ties alphabetical). */
  static fromText(text: string, opts: { minCount?: number; maxVocab?: number; unwrap?: boolean } = {}): WordTokenizer {
    const unwrap = opts.unwrap ?? true;
    const counts = new Map<string, number>();
    for (const t of splitWords(normalizeText(text, { unwrap }))) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (counts.size === 0) throw new UserError('the corpus is empty: there is no text to learn from');
    const minCount = opts.minCount ?? 1;
    const kept = [...counts.entries()]
      .filter(([, n]) => n >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, Math.max(1, (opts.maxVocab ?? Infinity) - 1))
      .map(([w]) => w);
    return new WordTokenizer([UNK, ...kept.sort()], unwrap);
  }

  idOf(token: string) {
    return this.index.get(token);
  }

  encodeCorpus(text: string): Int32Array {
    const unk = this.index.get(UNK)!;
    return Int32Array.from(splitWords(normalizeText(text, { unwrap: this.unwrap })), (t) => this.index.get(t) ?? unk);
  }

  encodePrompt(text: string, policy: UnknownPolicy): Encoded {
    const words = splitWords(normalizeText(text, { unwrap: this.unwrap }));
    const unknown = [...new Set(words.filter((w) => !this.index.has(w)))];
    if (unknown.length && policy === 'error') {
      throw new UserError(
        `unknown words ${formatUnknown(unknown)} in the prompt; they are not in this model's vocabulary (use --unknown skip|replace)`,
      );
    }
    const actions = unknown.map((from) => ({ from, to: policy === 'replace' ? this.nearest(from) : null }));
    const replacement = new Map(actions.map((a) => [a.from, a.to]));
    // Each kept word with what the model reads for it; the story shows the user's word where the model reads <unk>.
    const kept = words.flatMap((w) => (this.index.has(w) ? [[w, w]] : replacement.get(w) ? [[w, replacement.get(w)!]] : []));
    const d = this.detokenizer();
    return {
      ids: kept.map(([, m]) => this.index.get(m)!),
      text: kept.map(([w, m]) => d.push(m === UNK ? w : m)).join(''),
      report: { unknown, actions },
    };
  }

  /** Other case, accents folded, else <unk>. */
  private nearest(word: string): string {
    const folded = Array.from(word, foldCharacter).join('');
    const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
    for (const cand of [word.toLowerCase(), cap(word), folded, folded.toLowerCase(), cap(folded)]) {
      if (this.index.has(cand)) return cand;
    }
    return UNK;
  }

  detokenizer(): Detokenizer {
    let first = true;
    let quoteOpen = false;
    let noSpaceNext = true;
    return {
      push(tok: string): string {
        if (tok === PARAGRAPH) {
          noSpaceNext = true;
          quoteOpen = false;
          first = false;
          return '\n\n';
        }
        let spaced = !noSpaceNext && !first;
        noSpaceNext = false;
        first = false;
        if (tok === '"') {
          if (quoteOpen) spaced = false; // closing quote hugs the word before it
          else noSpaceNext = true; // opening quote hugs the word after it
          quoteOpen = !quoteOpen;
        } else if (/^[.,;:!?)\]}'\u201D]$/.test(tok) || /^['\u2019]/.test(tok)) {
          spaced = false; // closing marks hug the word before them
        } else if (/^[([{\u201C\u2018]$/.test(tok)) {
          noSpaceNext = true; // opening marks hug the word after them
        } else if (tok === '-') {
          spaced = false; // hyphenated words and the old books' "--" dash are written without spaces
          noSpaceNext = true;
        }
        return (spaced ? ' ' : '') + tok;
      },
    };
  }

  toJSON(): SerializedTokenizer {
    return { level: 'word', vocab: [...this.vocab], unwrap: this.unwrap };
  }
}
