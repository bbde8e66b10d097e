// The family-friendly filter: obscenity's English dataset catches words and their disguises, leaves the
// training corpus alone, and censors without changing the text's length (so tokens still line up).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { censorTokens, familyFriendlyFilter as filter, FILTERED_PROMPT_MESSAGE, noFilter, refuseFlagged } from '../../src/discord/content-filter.ts';
import { UserError } from '../../src/errors.ts';

describe('familyFriendlyFilter', () => {
  test.each(['what the shit', 'you little bitch', 'fuuuuck', 'sh1t', 'ʃ𝐟ʃὗƈｋ ỹоứ'])('flags %j', (text) => {
    expect(filter.flags(text)).toBe(true);
  });

  test.each(['The hen counted clouds.', 'the pen is mightier than the sword', 'grapes are yummy', 'Scunthorpe', 'an assassin in class'])(
    'does not flag %j',
    (text) => {
      expect(filter.flags(text)).toBe(false);
    },
  );

  test('the shipped early-reader corpus has nothing to flag (stories in its style are left alone)', () => {
    const corpus = readFileSync(new URL('../../corpora/early-reader.txt', import.meta.url), 'utf8');
    expect(corpus.length).toBeGreaterThan(100_000);
    expect(filter.flags(corpus)).toBe(false);
  });

  test('censor stars out the flagged word only and keeps the length', () => {
    const text = 'Spot ran to the shit pile and sat.';
    const out = filter.censor(text);
    expect(out).toBe('Spot ran to the **** pile and sat.');
    expect(filter.censor('fuuuuck off').length).toBe('fuuuuck off'.length);
    expect(filter.flags(out)).toBe(false);
  });

  test('censorTokens splits the censored text back into tokens of the same lengths', () => {
    const tokens = ['Spot', ' ', 'sh', 'it', ' ', 'ran', '.'];
    const out = censorTokens(filter, tokens);
    expect(out).toEqual(['Spot', ' ', '**', '**', ' ', 'ran', '.']);
    const clean = ['The', ' hen'];
    expect(censorTokens(filter, clean)).toBe(clean);
  });

  test('switched off, nothing is flagged or changed', () => {
    expect(noFilter.flags('shit')).toBe(false);
    expect(noFilter.censor('shit')).toBe('shit');
  });

  test('refuseFlagged throws the polite one-line refusal for any flagged text, and nothing for clean or missing ones', () => {
    expect(() => refuseFlagged(filter, 'Once upon a time', 'sh1t')).toThrow(new UserError(FILTERED_PROMPT_MESSAGE));
    expect(() => refuseFlagged(filter, 'Once upon a time', undefined)).not.toThrow();
    expect(() => refuseFlagged(noFilter, 'shit')).not.toThrow();
    expect(FILTERED_PROMPT_MESSAGE).not.toContain('\n');
  });
});
