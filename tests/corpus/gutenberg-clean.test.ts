import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanGutenberg } from '../../src/corpus/gutenberg-clean.ts';

const fixtureDir = resolve(import.meta.dirname, '../fixtures/gutenberg');
const fixture = (name: string): string => readFileSync(resolve(fixtureDir, name), 'utf8');
const expected = (name: string): string => fixture(`${name}.expected.txt`).trimEnd();

describe('cleanGutenberg', () => {
  it('keeps only the book between the START and END markers of a modern ebook', () => {
    expect(cleanGutenberg(fixture('modern.txt')).text).toBe(expected('modern'));
  });

  it('takes the title from the Title field, joining its continuation lines', () => {
    expect(cleanGutenberg(fixture('modern.txt')).title).toBe('The Kitten and the Kite A Tale for Small Readers');
  });

  it('handles "START OF THIS" markers and drops the "End of the Project Gutenberg EBook" line', () => {
    const book = cleanGutenberg(fixture('older.txt'));
    expect(book.text).toBe(expected('older'));
    expect(book.title).toBe('The Owl Who Slept Late');
  });

  it('strips the small-print licence of 1990s etexts and their "End of Project Gutenberg\'s" footer', () => {
    const book = cleanGutenberg(fixture('small-print.txt'));
    expect(book.text).toBe(expected('small-print'));
    expect(book.title).toBe("The Hedgehog's Hat");
  });

  it('removes producer credit paragraphs', () => {
    expect(fixture('modern.txt')).toContain('Produced by');
    expect(fixture('older.txt')).toContain('E-text prepared by');
    expect(cleanGutenberg(fixture('modern.txt')).text).not.toContain('Produced by');
    expect(cleanGutenberg(fixture('older.txt')).text).not.toContain('prepared by');
  });

  it('turns CRLF and lone CR line endings into \\n', () => {
    const crlf = fixture('modern.txt').replace(/\n/g, '\r\n');
    expect(cleanGutenberg(crlf).text).toBe(expected('modern'));
    const cr = fixture('older.txt').replace(/\n/g, '\r');
    expect(cleanGutenberg(cr).text).toBe(expected('older'));
  });

  it('strips a byte-order mark', () => {
    const withBom = `\uFEFF${fixture('modern.txt')}`;
    const book = cleanGutenberg(withBom);
    expect(book.text).toBe(expected('modern'));
    expect(book.title.startsWith('The Kitten')).toBe(true);
  });

  it('normalises decomposed accents to NFC', () => {
    const decomposed = fixture('modern.txt').normalize('NFD');
    expect(decomposed).not.toBe(fixture('modern.txt'));
    expect(cleanGutenberg(decomposed).text).toBe(expected('modern').normalize('NFC'));
  });

  it('falls back to the title in the START marker when the header has none', () => {
    const raw = '*** START OF THE PROJECT GUTENBERG EBOOK THE LITTLE RED HEN ***\n\nOnce there was a hen.\n';
    expect(cleanGutenberg(raw)).toEqual({ title: 'The Little Red Hen', text: 'Once there was a hen.' });
  });

  it('leaves a text without Gutenberg markers as it is, trimmed, titled by its first line', () => {
    const raw = '\n\nA Plain Story\n\nNo licence here.\n\n';
    expect(cleanGutenberg(raw)).toEqual({ title: 'A Plain Story', text: 'A Plain Story\n\nNo licence here.' });
  });
});
