// Regenerates corpora/early-reader.txt from its recorded recipe:
//   npx tsx scripts/write-early-reader.ts [--sentences N] [--seed S] [--out FILE]
// Without flags it rewrites the committed file byte for byte (tests/corpus/early-reader.test.ts checks that).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/atomic-write.ts';
import { EARLY_READER_CORPUS, generateEarlyReader } from '../src/corpus/early-reader.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    sentences: { type: 'string', default: String(EARLY_READER_CORPUS.sentences) },
    seed: { type: 'string', default: EARLY_READER_CORPUS.seed },
    out: { type: 'string', default: resolve(projectRoot, EARLY_READER_CORPUS.file) },
  },
  strict: true,
});

const sentences = Number(values.sentences);
if (!Number.isInteger(sentences) || sentences < 1) {
  console.error(`--sentences must be a positive integer, got '${values.sentences}'`);
  process.exit(1);
}
const text = generateEarlyReader({ sentences, seed: values.seed });
const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
await writeFileAtomic(out, text);
console.log(`wrote ${out}: ${Buffer.byteLength(text)} bytes, ${sentences} sentences, seed '${values.seed}'`);
