import { UserError } from '../errors.ts';
import { CharTokenizer } from './char-tokenizer.ts';
import type { SerializedTokenizer, Tokenizer } from './tokenizer.ts';
import { WordTokenizer } from './word-tokenizer.ts';

export function tokenizerFromJSON(j: SerializedTokenizer): Tokenizer {
  if (!j || !Array.isArray(j.vocab) || j.vocab.length === 0) throw new UserError('the tokenizer has no vocabulary');
  if (j.level === 'char') return new CharTokenizer(j.vocab, !!j.unwrap);
  if (j.level === 'word') return new WordTokenizer(j.vocab, j.unwrap !== false);
  throw new UserError(`unknown tokenizer level ${JSON.stringify((j as { level: unknown }).level)}`);
}

export { CharTokenizer, WordTokenizer };
export type { Tokenizer };
