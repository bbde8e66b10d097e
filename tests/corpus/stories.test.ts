import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const storiesDir = resolve(import.meta.dirname, '../../corpora/stories');
const stories = readdirSync(storiesDir)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(resolve(storiesDir, name)) }));

describe('corpora/stories', () => {
  it('holds at least 60 KB of stories in total', () => {
    expect(stories.length).toBeGreaterThanOrEqual(15);
    expect(stories.reduce((sum, s) => sum + s.bytes.length, 0)).toBeGreaterThanOrEqual(60_000);
  });

  it.each(stories.map((s) => [s.name, s.bytes] as const))('%s is valid UTF-8 with \\n line endings and no BOM', (_name, bytes) => {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(text).not.toContain('\r');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).toBe(text.normalize('NFC'));
  });

  it.each(stories.map((s) => [s.name, s.bytes.toString('utf8')] as const))(
    '%s starts with a title line, separates paragraphs by one blank line and ends with one newline',
    (_name, text) => {
      const [title, blank, firstParagraph] = text.split('\n');
      expect(title).toMatch(/^[A-Z][^.!?]*$/);
      expect(blank).toBe('');
      expect(firstParagraph!.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/\n\n\n/);
      expect(text).not.toMatch(/[ \t]$/m);
      expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
    },
  );

  it('has distinct titles', () => {
    const titles = stories.map((s) => s.bytes.toString('utf8').split('\n', 1)[0]);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('contains dialogue in quotation marks in every story', () => {
    for (const { name, bytes } of stories) expect(bytes.toString('utf8'), name).toMatch(/"[^"\n]+," said /);
  });
});
