// `storyteller demo long-dependency` and `demo gradients` with models of every kind of cell side by side:
// the JSON lines (camelCase, a multi-episode line per model, a memory-cell line per LSTM-family model), the
// Markdown tables, the stream heatmaps that are not overwritten without --force, and the one-line errors.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { writeUntrainedModels } from './variant-models.ts';

const CELLS = ['lstm', 'lstm-no-forget', 'gru'] as const;

describe('demo long-dependency with the LSTM variants', { timeout: 120_000 }, () => {
  it('reports every model side by side in camelCase JSON, with the multi-episode line and stream heatmaps', async () => {
    const dir = scratchDir('variants');
    const files = await writeUntrainedModels(dir, CELLS);
    const hm = path.join(dir, 'heatmaps');
    const args = ['demo', 'long-dependency', '--models', files.join(','), '--per-bucket', '2', '--streams', '3', '--stream-episodes', '3', '--out', path.join(dir, 'pics', 'ld'), '--heatmaps', hm];
    const r = await runInProcess([...args, '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) for (const key of Object.keys(l)) expect(key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    const buckets = lines.filter((l) => 'gapMin' in l);
    // Two test sets (the held-out books are not in the project), five buckets, three models.
    expect(buckets).toHaveLength(2 * 5 * CELLS.length);
    expect(new Set(buckets.map((b) => b.cell))).toEqual(new Set(CELLS));
    const multi = lines.filter((l) => 'multiEpisode' in l).map((l) => l.multiEpisode as Record<string, unknown>);
    expect(multi.map((m) => m.cell)).toEqual([...CELLS]);
    for (const m of multi) {
      expect(m.n).toBe(3 * 2); // episodes 2 and 3 of three streams
      expect(m.params).toBe(buckets.find((b) => b.cell === m.cell)!.params);
      expect(Array.isArray(m.cellNorm)).toBe(m.cell !== 'gru');
    }
    const noForget = multi.find((m) => m.cell === 'lstm-no-forget')!.cellNorm as number[];
    expect(noForget.at(-1)!).toBeGreaterThan(noForget[0]!);
    const memory = lines.filter((l) => 'memoryCells' in l).map((l) => (l.memoryCells as { model: string }).model);
    expect(memory).toEqual(['long-dep-lstm', 'long-dep-lstm-no-forget']);
    for (const name of ['stream-cell-long-dep-lstm', 'stream-forget-long-dep-lstm', 'stream-cell-long-dep-lstm-no-forget', 'stream-cell-long-dep-gru', 'stream-forget-long-dep-gru', 'stream-cell-norm']) {
      expect(existsSync(path.join(hm, `${name}.png`)), name).toBe(true);
      expect(existsSync(path.join(hm, `${name}.svg`)), name).toBe(true);
    }
    expect(existsSync(path.join(hm, 'stream-forget-long-dep-lstm-no-forget.png'))).toBe(false);

    // The same pictures again: refused in one line before any work, unless --force.
    const again = await runInProcess([...args, '--json'], dir);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/stream-cell-long-dep-lstm\.svg already exists: give --force/);

    const md = await runInProcess([...args, '--markdown', '--force'], dir);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\| model \| cell \| params \| 10-49 \| 50-99 \| 100-199 \| 200-299 \| 300-360 \| multi-episode \|/m);
    expect(md.stdout).toMatch(/^\| lstm-no-forget \| lstm-no-forget \| [\d,]+ \|/m);
    // The stories test set has no multi-episode column.
    expect(md.stdout).toMatch(/unseen prose: .*\n\n\| model \| cell \| params \| 10-49 \| 50-99 \| 100-199 \| 200-299 \| 300-360 \|\n/);

    const text = await runInProcess([...args, '--force'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/every cell side by side/);
    expect(text.stdout).toMatch(/long-dep-lstm-no-forget: memory cells/);
  });

  it('refuses bad stream settings and --cells without --train in one line', async () => {
    const dir = scratchDir('variants-bad');
    for (const [flags, message] of [
      [['--stream-episodes', '1'], /--stream-episodes must be a whole number from 2 to 100 \(got 1\)/],
      [['--streams', '0'], /--streams must be a whole number from 1/],
      [['--cells', 'lstm'], /--cells chooses what --train trains/],
      [['--json', '--markdown'], /--json and --markdown: give one of them/],
    ] as const) {
      const r = await runInProcess(['demo', 'long-dependency', ...flags], dir);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const bad = await runInProcess(['demo', 'long-dependency', '--train', '--cells', 'lstm,lsmt'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--cells: unknown cell "lsmt"/);
  });
});

describe('demo gradients with the LSTM variants', { timeout: 120_000 }, () => {
  it('measures the gradient by gap for every model given and skips a missing one with a note', async () => {
    const dir = scratchDir('variants-grad');
    const files = await writeUntrainedModels(dir, CELLS);
    const missing = path.join(dir, 'long-dep-lstm-peephole.safetensors');
    const r = await runInProcess(['demo', 'gradients', '--models', [...files, missing].join(','), '--per-gap', '1', '--json', '--out', path.join(dir, 'g')], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/part \(b\) skips missing models: .*long-dep-lstm-peephole\.safetensors/);
    const { byGap } = JSON.parse(r.stdout) as { byGap: Array<{ cell: string; model: string; gap: number; norm: number }> };
    expect(new Set(byGap.map((g) => g.model))).toEqual(new Set(CELLS.map((c) => `long-dep-${c}`)));
    expect(byGap.filter((g) => g.cell === 'lstm-no-forget')).toHaveLength(10);
    for (const g of byGap) expect(g.norm).toBeGreaterThanOrEqual(0);
    // Untrained, the cell that only adds passes the gradient back unchanged through c (f ≡ 1): at 350
    // characters it is still there, where the standard LSTM's (f ≈ 0.73 from the forget bias of 1) has shrunk
    // by many orders of magnitude.
    const at350 = (cell: string) => byGap.find((g) => g.cell === cell && g.gap === 350)!.norm;
    expect(at350('lstm-no-forget')).toBeGreaterThan(1e-4);
    expect(at350('lstm-no-forget')).toBeGreaterThan(1e6 * at350('lstm'));
    const md = await runInProcess(['demo', 'gradients', '--models', files.join(','), '--per-gap', '1', '--markdown', '--out', path.join(dir, 'g')], dir);
    expect(md.stdout).toMatch(/^\| gap \(characters\) \| 10 \| 25 \|/);
    expect(md.stdout).toMatch(/^\| lstm-no-forget \| \d\.\d\de[-+]\d+ \|/m);
  });
});

describe('the demos\' --json output', { timeout: 120_000 }, () => {
  /** Every object key in a parsed JSON value, at any depth. */
  const keys = (v: unknown): string[] =>
    Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : [];

  it('has camelCase keys only', async () => {
    const dir = scratchDir('variants-keys');
    const files = await writeUntrainedModels(dir, ['lstm-peephole']);
    const runs = [
      ['demo', 'prices', '--steps', '3', '--json'],
      ['demo', 'gradients', '--models', files[0]!, '--per-gap', '1', '--json', '--out', path.join(dir, 'g')],
      ['demo', 'long-dependency', '--models', files[0]!, '--per-bucket', '1', '--streams', '2', '--json', '--out', path.join(dir, 'ld')],
    ];
    for (const argv of runs) {
      const r = await runInProcess(argv, dir);
      expect(r.code, r.stderr).toBe(0);
      const all = r.stdout.trim().split('\n').flatMap((l) => keys(JSON.parse(l)));
      expect(all.length, argv[1]).toBeGreaterThan(5);
      for (const k of all) expect(k, `${argv[1]}: ${k}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });
});
