import { describe, expect, test } from 'vitest';
import { cleanPrompt, codeBlockText, displayText, neutralizeMentions, PROMPT_MAX_LENGTH } from '../../src/discord/sanitize.ts';

describe('cleanPrompt', () => {
  test('removes control characters but keeps newlines', () => {
    expect(cleanPrompt('a\u0000b\u0007c\nd\u001b[31me')).toBe('abc\nd[31me');
  });

  test('removes bidirectional overrides that could reorder the shown text', () => {
    expect(cleanPrompt('abc\u202edef\u2066')).toBe('abcdef');
  });

  test('replaces user, role and channel mentions with plain words', () => {
    expect(cleanPrompt('hi <@123> and <@!456>, <@&789> in <#42>')).toBe('hi someone and someone, everyone in somewhere');
  });

  test('uses known names for mentions when given', () => {
    const names = { user: (id: string) => (id === '123' ? 'Jane' : undefined), channel: () => 'stories' };
    expect(cleanPrompt('<@123> met <@999> in <#1>', names)).toBe('Jane met someone in stories');
  });

  test('disarms @everyone and @here', () => {
    const out = cleanPrompt('@everyone look @here');
    expect(out).not.toMatch(/@everyone|@here/);
    expect(out).toBe('everyone look here');
  });

  test(`caps the length at ${PROMPT_MAX_LENGTH} characters`, () => {
    expect(Array.from(cleanPrompt('word '.repeat(200))).length).toBeLessThanOrEqual(PROMPT_MAX_LENGTH);
  });

  test('counts characters, not UTF-16 units, and never splits an emoji', () => {
    const out = cleanPrompt('🐶'.repeat(PROMPT_MAX_LENGTH + 10));
    expect(Array.from(out)).toHaveLength(PROMPT_MAX_LENGTH);
    expect(out).not.toMatch(/[\ud800-\udbff]$/);
  });

  test('tidies whitespace', () => {
    expect(cleanPrompt('  a\t\tb \r\n\r\n\r\n\r\nc  ')).toBe('a b\n\nc');
  });
});

describe('generated text', () => {
  test('neutralizeMentions puts a zero-width space after every @', () => {
    expect(neutralizeMentions('@everyone <@123> a@b')).toBe('@\u200beveryone <@\u200b123> a@\u200bb');
  });

  test('displayText shows markdown characters literally', () => {
    expect(displayText('*bold* _it_ # head')).toBe('\\*bold\\* \\_it\\_ # head');
    expect(displayText('# Heading')).toBe('\\# Heading');
  });

  test('codeBlockText cannot close a code fence', () => {
    expect(codeBlockText('a```b')).not.toContain('```');
  });

  test('codeBlockText drops escape characters', () => {
    expect(codeBlockText('x\u001b[31my')).toBe('x[31my');
  });
});
