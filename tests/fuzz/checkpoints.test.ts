// Fuzz: real small checkpoints, damaged. Truncated, bytes flipped, the length prefix rewritten, and the
// JSON header edited (dtype, shape, offsets, entries replaced by nested garbage, the metadata's config,
// tokenizer and card JSON changed). Property: loading either works or throws a CheckpointError (one line,
// the file named); the CLI (info, generate, card, eval, strip) exits 0 or 1 with one line, never a stack
// trace; the damaged file is never changed. Seed and case count: tests/support/fuzz.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { damagedCheckpoint, join, SOURCES, split } from './damage.ts';
import { fastBackend, type Backend } from '../../src/engine/backend.ts';
import { loadCheckpoint, readCheckpointSummary } from '../../src/engine/checkpoint.ts';
import { CheckpointError } from '../../src/errors.ts';
import { expectClean, fuzz, FUZZ_SUITE } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

let dir: string;
let backend: Backend;
beforeAll(async () => {
  dir = scratchDir('fuzz-ckpt');
  backend = await fastBackend();
});

async function expectLoadsOrCheckpointError(load: () => Promise<unknown>, file: string): Promise<void> {
  try {
    await load();
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw new Error(`not a CheckpointError: ${(e as Error)?.stack ?? e}`);
    expect(e.message.startsWith(file), e.message).toBe(true);
    expect(e.message).not.toMatch(/\n/);
  }
}

describe('damaged checkpoints', FUZZ_SUITE, () => {
  it('loading gives the model or a CheckpointError naming the file', async () => {
    const file = path.join(dir, 'damaged.safetensors');
    await fuzz('checkpoint load', damagedCheckpoint, 500, async ({ bytes }) => {
      writeFileSync(file, bytes);
      await expectLoadsOrCheckpointError(() => loadCheckpoint(file, backend), file);
      // The models/ list reads only the header: the same rule.
      await expectLoadsOrCheckpointError(() => readCheckpointSummary(file), file);
      expect(readFileSync(file).equals(bytes), 'loading changed the file').toBe(true);
    });
  });

  it('the CLI on a damaged checkpoint: one line, never a stack trace, the file unchanged', async () => {
    const file = path.join(dir, 'cli.safetensors');
    const data = path.join(dir, 'text.txt');
    writeFileSync(data, 'Doug saw Jane. Jane saw Spot.\n'.repeat(4));
    const commands = [
      ['info', '--checkpoint', file],
      ['info', '--json', '--checkpoint', file],
      ['generate', '--checkpoint', file, '--length', '5', '--seed', '1'],
      ['card', '--checkpoint', file, '--length', '5', '--seeds', '1'],
      ['eval', '--checkpoint', file, '--data', data],
      ['strip', '--checkpoint', file, '--out', path.join(dir, 'stripped.safetensors')],
    ];
    const command = fc.constantFrom(...commands);
    // A card with figures of the wrong type, or not an object at all, must not break info or card.
    const cards = ['{"valBpc":"x","steps":"many","valLoss":null}', '5', 'null', '[1,2]', '{"data":"story.txt","selectedBy":{"name":3}}'];
    const examples = cards.flatMap((card) => {
      const { header, data: weights } = split(SOURCES[2]!);
      header.__metadata__.card = card;
      const damaged = { bytes: join(header, weights), how: `card = ${card}` };
      return [commands[0]!, commands[3]!].map((argv) => [damaged, argv] as [typeof damaged, string[]]);
    });
    await fuzz('checkpoint CLI', fc.tuple(damagedCheckpoint, command), 150, async ([{ bytes }, argv]) => {
      writeFileSync(file, bytes);
      const r = await runInProcess(argv, dir);
      expectClean(r, argv);
      expect(readFileSync(file).equals(bytes), 'the command changed its input checkpoint').toBe(true);
      return `exit ${r.code}`;
    }, examples);
  });
});
