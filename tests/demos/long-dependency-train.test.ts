// `storyteller demo long-dependency --train` reproduces the shipped models' two stages for each cell,
// here cut to seconds and to three cells (--cells, an LSTM variant among them): stage 1 from the cell's
// recipe, stage 2 from its -tune recipe, started from stage 1 and kept by the held-out accuracy check.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const CELLS = ['lstm', 'rnn', 'lstm-coupled'];

describe('demo long-dependency --train', () => {
  // Six short training runs: minutes on a busy 2-core machine.
  it('trains both stages for each cell, then reports on the models it trained', { timeout: 240_000 }, async () => {
    const dir = scratchDir('ld-train');
    const r = await runInProcess(['demo', 'long-dependency', '--train', '--cells', CELLS.join(','), '--train-dir', dir, '--max-minutes', '0.01', '--tune-steps', '2',
      '--per-bucket', '2', '--streams', '2', '--json', '--out', path.join(dir, 'pictures')], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const cell of CELLS) {
      expect(existsSync(path.join(dir, `long-dep-${cell}-stage1.safetensors`))).toBe(true);
      const card = (await loadCheckpoint(path.join(dir, `long-dep-${cell}.safetensors`), f32LoopBackend)).card;
      // The LSTMs' second stage starts from the last state of their first, the RNN's from the kept one.
      expect(card.initFrom).toBe(cell === 'rnn' ? 'long-dep-rnn-stage1.safetensors' : `long-dep-${cell}-stage1.latest.safetensors`);
      expect(card.selectedBy?.name).toBe('long-dependency accuracy');
      expect(card.steps).toBe(2);
    }
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // Both shipped test sets, each for every model it trained (the held-out books are not in the project).
    for (const test of ['generator', 'stories']) {
      const of = rows.filter((x) => x.test === test);
      expect(of.map((x) => x.model)).toEqual(CELLS.flatMap((c) => Array(5).fill(`long-dep-${c}`)));
      expect(of.map((x) => x.cell)).toEqual(CELLS.flatMap((c) => Array(5).fill(c)));
      expect(of.every((x) => x.n === 2)).toBe(true);
    }
    expect(rows.filter((x) => x.cell).length).toBe(30);
    expect(rows.filter((x) => x.multiEpisode).map((x) => x.multiEpisode.model)).toEqual(CELLS.map((c) => `long-dep-${c}`));
    expect(r.stderr).toMatch(/no unseen-books test: none of the held-out books is in/);
    expect(r.stderr).toMatch(/long-dep-lstm-tune\.json from long-dep-lstm-stage1\.latest\.safetensors/);
  });
});
