import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { normalizeText } from '../../src/text/normalize.ts';
import { splitWords, WordTokenizer, UNK } from '../../src/text/word-tokenizer.ts';
import { tokenizerFromJSON } from '../../src/text/index.ts';

describe('normalizeText', () => {
  it('composes to NFC and turns CRLF into LF', () => {
    expect(normalizeText('Cafe\u0301\r\nok')).toBe('Caf\u00e9\nok');
  });
  it('joins hard-wrapped lines into paragraphs when unwrapping', () => {
    expect(normalizeText('One line\nwrapped here.\n\n\nNext  para.', { unwrap: true })).toBe('One line wrapped here.\n\nNext para.');
  });
});

describe('char tokenizer', () => {
  const tok = CharTokenizer.fromText('Doug saw Jane. Jane saw Spot.');
  it('has one id per distinct code point and round-trips the corpus', () => {
    const ids = tok.encodeCorpus('Jane saw Doug.');
    expect(Array.from(ids, (i) => tok.vocab[i]).join('')).toBe('Jane saw Doug.');
    expect(tok.vocab.length).toBe(new Set('Doug saw Jane. Jane saw Spot.').size);
  });
  it('counts an astral character as one token', () => {
    const t = CharTokenizer.fromText('a🐶b');
    expect(t.vocab).toHaveLength(3);
  });
  it('lists unknown prompt characters and refuses them under the error policy', () => {
    expect(() => tok.encodePrompt('Zoë', 'error')).toThrow(/unknown characters "Z", "ë" .*--unknown skip\|replace/);
  });
  it('replaces an accented character by its folded form and reports it', () => {
    const e = tok.encodePrompt('Jané', 'replace');
    expect(e.text).toBe('Jane');
    expect(e.report.actions).toEqual([{ from: 'é', to: 'e' }]);
  });
  it('skips characters with no near form under replace, and all unknown ones under skip', () => {
    expect(tok.encodePrompt('Jane!', 'replace').text).toBe('Jane');
    expect(tok.encodePrompt('Jané', 'skip').text).toBe('Jan');
  });
  it('refuses an empty corpus with a clear message', () => {
    expect(() => CharTokenizer.fromText('')).toThrow(/corpus is empty/);
  });
  it('survives a JSON round trip', () => {
    const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(back.vocab).toEqual(tok.vocab);
    expect(back.level).toBe('char');
  });
});

describe('word tokenizer', () => {
  it('splits words, contractions, numbers and punctuation; a blank line is a paragraph token', () => {
    expect(splitWords(`"Don't run," said Jane.\n\nSee 3 dogs!`)).toEqual([
      '"', "Don't", 'run', ',', '"', 'said', 'Jane', '.', '\n', 'See', '3', 'dogs', '!',
    ]);
  });
  it('maps words below the minimum count to <unk>', () => {
    const t = WordTokenizer.fromText('the cat the dog the cat', { minCount: 2 });
    expect(t.vocab).toEqual([UNK, 'cat', 'the']);
    expect(Array.from(t.encodeCorpus('the dog'), (i) => t.vocab[i])).toEqual(['the', UNK]);
  });
  it('caps the vocabulary at maxVocab including <unk>', () => {
    const t = WordTokenizer.fromText('a a a b b c', { maxVocab: 3 });
    expect(t.vocab).toEqual([UNK, 'a', 'b']);
  });
  it('detokenizes punctuation and quotes into readable prose', () => {
    const words = splitWords(`"Run, Spot!" said Jane. "See him (there) go."\n\nThe end.`);
    const d = new WordTokenizer([UNK]).detokenizer();
    expect(words.map((w) => d.push(w)).join('')).toBe(`"Run, Spot!" said Jane. "See him (there) go."\n\nThe end.`);
  });
  it('writes hyphens, dashes and curly quotes without stray spaces', () => {
    const d = new WordTokenizer([UNK]).detokenizer();
    expect(splitWords('a bottle-cloth--and “Run,” she said.').map((w) => d.push(w)).join('')).toBe('a bottle-cloth--and “Run,” she said.');
  });
  it('replaces an unknown word by another case of a known word, else <unk>', () => {
    const t = WordTokenizer.fromText('the dog ran');
    const e = t.encodePrompt('The cat ran', 'replace');
    expect(e.report.actions).toEqual([
      { from: 'The', to: 'the' },
      { from: 'cat', to: UNK },
    ]);
    expect(e.ids.map((i) => t.vocab[i])).toEqual(['the', UNK, 'ran']);
    expect(e.text).toBe('the cat ran'); // the story keeps the user's word where the model reads <unk>
  });
  it('refuses unknown words under the error policy, naming them', () => {
    const t = WordTokenizer.fromText('the dog ran');
    expect(() => t.encodePrompt('the zebra ran', 'error')).toThrow(/unknown words "zebra"/);
  });
});
