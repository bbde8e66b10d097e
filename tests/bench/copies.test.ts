// bench with 1 and n threads also measures n one-thread copies at once (what the machine gives n
// independent threads of the same work), and the profiled row says which share of a step ran on one thread.
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const dir = scratchDir('bench-copies');

async function jsonRows(argv: string[]): Promise<Array<Record<string, unknown>>> {
  const r = await runInProcess(argv, dir);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

describe('bench', () => {
  it('with --threads 1,2 adds a row of two one-thread copies run together, their chars/s added up', async () => {
    const rows = await jsonRows(['bench', '--config', 'S', '--mode', 'sample', '--threads', '1,2', '--budget', '0.3', '--no-torch', '--json']);
    expect(rows.map((r) => [r.system, r.threads])).toEqual([['lstm-storyteller', 1], ['lstm-storyteller', 2], ['copies', 2]]);
    const copies = rows[2];
    expect(copies).toMatchObject({ config: 'S', mode: 'sample', charsPerSec: expect.any(Number) });
    expect(copies.charsPerSec as number).toBeGreaterThan(0);
  }, 60_000);

  it('--rounds 3 measures every row three times in turns and reports the best, with the chars/s of each round', async () => {
    const rows = await jsonRows(['bench', '--config', 'S', '--mode', 'sample', '--threads', '1,2', '--budget', '0.2', '--rounds', '3', '--no-torch', '--json']);
    expect(rows.map((r) => r.system)).toEqual(['lstm-storyteller', 'lstm-storyteller', 'copies']);
    for (const r of rows) {
      const rounds = r.rounds as number[];
      expect(rounds).toHaveLength(3);
      expect(r.charsPerSec).toBe(Math.max(...rounds));
    }
  }, 60_000);

  it('refuses a round count that is not a whole number from 1 to 20, in one line', async () => {
    for (const bad of ['0', '2.5', '21']) {
      const r = await runInProcess(['bench', '--config', 'S', '--mode', 'sample', '--rounds', bad, '--no-torch'], dir);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('--rounds must be a whole number from 1 to 20')]);
    }
  });

  it('without 1 in the thread list measures no copies (there is no one-thread figure to compare with)', async () => {
    const rows = await jsonRows(['bench', '--config', 'S', '--mode', 'sample', '--threads', '2', '--budget', '0.2', '--no-torch', '--json']);
    expect(rows.map((r) => r.system)).toEqual(['lstm-storyteller']);
  }, 60_000);

  it('--profile on 2 threads splits the step into parts, with the share that ran on one thread', async () => {
    const [row] = await jsonRows(['bench', '--child', '--profile', '--config', 'S', '--mode', 'train', '--threads', '2', '--budget', '0.3', '--json']);
    const parts = row.parts as Record<string, number>;
    expect(parts.products + parts.elementwise + parts.adam + parts.rest).toBeCloseTo(1, 2);
    expect(parts.products).toBeGreaterThan(0.3);
    // JavaScript outside the kernels always runs on the calling thread; nothing can be more than the step.
    expect(parts.oneThread).toBeGreaterThanOrEqual(parts.rest - 0.001);
    expect(parts.oneThread).toBeLessThanOrEqual(1);
    expect(parts.stepMs).toBeGreaterThan(0);
  }, 60_000);
});
