// Fuzz: corpus bytes. Random bytes, invalid UTF-8, UTF-16 with a byte-order mark, NUL and control bytes,
// CR/LF mixes, whitespace only, one endless line, text glued to garbage; as one file or a folder of them.
// Fed to corpus stats, eval and train. Property: exit 0-2 with one line on failure, never a stack trace,
// the corpus unchanged. Seed and case count: tests/support/fuzz.ts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { changedFiles, expectClean, fuzz, FUZZ_SUITE, hashTree } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { STORY } from './workspace.ts';

const text = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s, 'utf8')),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => Buffer.from(s, 'utf16le')),
  fc.constantFrom(
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('Doug saw Jane.\n')]),
    Buffer.from([0xff, 0xfe, ...Buffer.from('Doug saw Jane.\n', 'utf16le')]),
    Buffer.from('Doug saw Jane.\r\nJane saw Spot.\rSpot ran.\n'),
    Buffer.from(' \n\t\n   \n'),
    Buffer.from('x'.repeat(50_000)),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x00, 0x1b]),
    Buffer.from(STORY.repeat(10)),
    Buffer.alloc(0),
  ),
);
/** A corpus: the bytes of one to three files, sometimes with a real story glued on so training can start. */
const corpus = fc.tuple(fc.array(text, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()).map(([files, withStory, asFolder]) => ({
  files: files.map((b, i) => (withStory && i === 0 ? Buffer.concat([Buffer.from(STORY.repeat(8)), b]) : b)),
  asFolder,
}));

describe('fuzzed corpora', FUZZ_SUITE, () => {
  it('corpus stats, eval and train on any bytes', async () => {
    const dir = scratchDir('fuzz-corpus');
    const commands = [
      (data: string) => ['corpus', 'stats', data],
      (data: string) => ['corpus', 'stats', '--json', data],
      (data: string) => ['eval', '--checkpoint', 'long-dep-rnn', '--data', data],
      (data: string) => ['eval', '--checkpoint', 'doug-jane-spot', '--data', data, '--json'],
      (data: string) => ['train', '--data', data, '--out', 'runs/m.safetensors', '--hidden-size', '8', '--embedding-size', '8', '--max-steps', '2', '--seq-length', '8', '--batch-size', '2', '--eval-every', '1', '--eval-tokens', '100', '--max-minutes', '0.2'],
      (data: string) => ['train', '--data', data, '--out', 'runs/w.safetensors', '--level', 'word', '--min-count', '1', '--hidden-size', '8', '--embedding-size', '8', '--max-steps', '2', '--seq-length', '4', '--batch-size', '2', '--eval-every', '1', '--max-minutes', '0.2'],
    ];
    await fuzz('corpora', fc.tuple(corpus, fc.nat({ max: commands.length - 1 })), 120, async ([c, k]) => {
      rmSync(path.join(dir, 'data'), { recursive: true, force: true });
      rmSync(path.join(dir, 'runs'), { recursive: true, force: true });
      mkdirSync(path.join(dir, 'data'), { recursive: true });
      c.files.forEach((b, i) => writeFileSync(path.join(dir, 'data', `part${i}.txt`), b));
      const data = c.asFolder ? 'data' : 'data/part0.txt';
      const before = hashTree(path.join(dir, 'data'));
      const argv = commands[k]!(data);
      const r = await runInProcess(argv, dir);
      expectClean(r, argv);
      const changed = changedFiles(before, hashTree(path.join(dir, 'data')));
      if (changed.length) throw new Error(`the corpus changed: ${changed.join(', ')}\nargv: ${JSON.stringify(argv)}`);
      return `${argv[0]} exit ${r.code}`;
    });
  });
});
