// A model card names its training files briefly: a few by name, a folder of many by count, first and last.
import { expect, test } from 'vitest';
import { describeData } from '../../src/cli/commands/card.ts';

test('a folder of many files is counted, with its first and last file; a few files are named', () => {
  const books = ['aesop-fables.txt', 'grimm-fairy-tales.txt', 'spyri-heidi.txt', 'sewell-black-beauty.txt'].map((b) => `corpora/gutenberg/${b}`);
  const stories = Array.from({ length: 20 }, (_, i) => `corpora/stories/${String(i + 1).padStart(2, '0')}-story.txt`);
  expect(describeData([...books, ...stories])).toBe(
    '4 files in corpora/gutenberg (aesop-fables.txt … sewell-black-beauty.txt), 20 files in corpora/stories (01-story.txt … 20-story.txt)',
  );
  expect(describeData(['corpora/early-reader.txt'])).toBe('early-reader.txt');
  expect(describeData(['a.txt', 'b.txt', 'c.txt', 'd.txt'])).toBe('4 files (a.txt … d.txt)');
  expect(describeData([])).toBe('');
});
