// Fuzz: prompts. Any Unicode (astral planes, combining marks, right-to-left marks), control characters,
// lone surrogates and very long prompts, with every --unknown policy, on a char and a word model. Property:
// exit 0 (or 1 with one line when --unknown error names what the model lacks), never a stack trace.
// Seed and case count: tests/support/fuzz.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClean, fuzz, FUZZ_SUITE } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\u0000', '\x1b[2J', '\r\n', '\t', '\u200b', '\u202e', '\ufeff', 'e\u0301', '𝔇𝔬𝔲𝔤', '👨‍👩‍👧', 'Ünïcödé', 'Doug saw Jane', '\n\n\n', ' '),
);
/** Prompts up to tens of thousands of characters: a long piece repeated. */
const prompt = fc.oneof(
  { weight: 8, arbitrary: fc.array(piece, { maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.tuple(piece, fc.integer({ min: 100, max: 2000 })).map(([p, n]) => (p || 'x').repeat(n).slice(0, 20_000)) },
);

const models = ['long-dep-rnn', 'doug-jane-spot', 'tales-char'];

describe('fuzzed prompts', FUZZ_SUITE, () => {
  it('generate, start and card take any prompt', async () => {
    const dir = scratchDir('fuzz-prompt');
    const argvOf = fc.tuple(prompt, fc.constantFrom(...models), fc.constantFrom('error', 'skip', 'replace'), fc.constantFrom('generate', 'generate-eq', 'start', 'card')).map(([p, model, unknown, cmd]) =>
      cmd === 'start' ? ['start', '--model', model, '--length', '5', '--seed', '1', '--prime', p]
      : cmd === 'card' ? ['card', '--checkpoint', model, '--length', '5', '--seeds', '1', '--prime', p]
      : cmd === 'generate-eq' ? ['generate', '--checkpoint', model, '--length', '5', '--seed', '1', '--unknown', unknown, `--prime=${p}`]
      : ['generate', '--checkpoint', model, '--length', '5', '--seed', '1', '--unknown', unknown, '--prime', p],
    );
    await fuzz('prompts', argvOf, 150, async (argv) => {
      const r = await runInProcess(argv, dir);
      expectClean(r, argv);
      // Only --unknown error may refuse a prompt; a prompt that looks like a flag is still a prompt with "=".
      const refusable = argv.includes('error') || !argv.some((a) => a.startsWith('--prime='));
      if (!refusable) expect(r.code, `${JSON.stringify(argv).slice(0, 300)}\n${r.stderr}`).toBe(0);
      return `exit ${r.code}`;
    }, [
      ['generate', '--checkpoint', 'tales-char', '--length', '5', '--seed', '1', '--unknown', 'replace', '--prime=\ud800x\udfff'],
      ['generate', '--checkpoint', 'doug-jane-spot', '--length', '5', '--seed', '1', '--unknown', 'error', '--prime', '\x1b[2J\u0000Zork'],
    ]);
  });
});
