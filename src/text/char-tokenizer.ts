// Character level: one token per Unicode code point (after NFC normalisation).
import { UserError } from '../errors.ts';
import { foldCharacter, normalizeText } from './normalize.ts';
import { formatUnknown, type Detokenizer, type Encoded, type SerializedTokenizer, type Tokenizer, type UnknownPolicy } from './tokenizer.ts';

export class CharTokenizer implements Tokenizer {
  readonly level = 'char' as const;
  private readonly index: Map<string, number>;

  constructor(
    readonly vocab: readonly string[],
    readonly unwrap = false,
  ) {
    this.index = new Map(vocab.map((c, i) => [c, i]));
  }

  static fromText(text: string, unwrap = false): CharTokenizer {
    const set = new Set(Array.from(normalizeText(text, { unwrap })));
    if (set.size === 0) throw new UserError('the corpus is empty: there is no text to learn from');
    return new CharTokenizer([...set].sort(), unwrap);
  }

  idOf(token: string) {
    return this.index.get(token);
  }

  encodeCorpus(text: string): Int32Array {
    const chars = Array.from(normalizeText(text, { unwrap: this.unwrap }));
    const ids = new Int32Array(chars.length);
    let n = 0;
    for (const ch of chars) {
      const id = this.index.get(ch);
      if (id !== undefined) ids[n++] = id; // text outside the vocabulary (held-out data) is dropped
    }
    return ids.subarray(0, n);
  }

  encodePrompt(text: string, policy: UnknownPolicy): Encoded {
    const chars = Array.from(normalizeText(text, { unwrap: this.unwrap }));
    const unknown = [...new Set(chars.filter((c) => !this.index.has(c)))];
    if (unknown.length && policy === 'error') {
      throw new UserError(
        `unknown characters ${formatUnknown(unknown)} in the prompt; they are not in this model's vocabulary (use --unknown skip|replace)`,
      );
    }
    const actions = unknown.map((from) => ({ from, to: policy === 'replace' ? this.nearest(from) : null }));
    const replacement = new Map(actions.map((a) => [a.from, a.to ?? '']));
    const out = chars.map((c) => (this.index.has(c) ? c : replacement.get(c)!)).join('');
    return { ids: Array.from(out, (c) => this.index.get(c)!), text: out, report: { unknown, actions } };
  }

  /** Accents folded or a typographic look-alike, else the other case; null when nothing fits. */
  private nearest(ch: string): string | null {
    const folded = foldCharacter(ch);
    for (const cand of [folded, folded.toLowerCase(), folded.toUpperCase()]) {
      if (cand && Array.from(cand).every((c) => this.index.has(c))) return cand;
    }
    return null;
  }

  detokenizer(): Detokenizer {
    return { push: (t) => t };
  }

  toJSON(): SerializedTokenizer {
    return { level: 'char', vocab: [...this.vocab], unwrap: this.unwrap };
  }
}
