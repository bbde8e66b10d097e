// What loads where (README, "Checkpoints are PyTorch-compatible"): nn.LSTM's strict load refuses all three LSTM
// variants; the coupled and no-forget cells rewritten by the README's recipe load strictly and give our logits.
// Needs Debian's python3-torch (.ci/run installs it): without it the suite fails, unless STORYTELLER_SKIP_E2E=1.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { f32LoopBackend, type Arr } from '../../src/engine/backend.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import type { CellType } from '../../src/engine/config.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { ROOT } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { describeWithTool, torchMissing, TORCH_PYTHON } from '../support/tools.ts';

const SCRIPT = path.join(ROOT, 'tests/engine/torch_lstm_variants.py');
const IDS = [3, 1, 4, 1, 5, 9, 2, 6];

async function saved(cell: CellType, tied: boolean, dir: string) {
  const tokenizer = CharTokenizer.fromText('abcdefghij');
  const H = tied ? 6 : 7;
  const model = new RnnModel({ cell, layers: 2, hiddenSize: H, embeddingSize: 6, vocabSize: 10, dropout: 0, tieWeights: tied }, f32LoopBackend);
  model.params.init(new Rng(`torch-${cell}`));
  for (let i = 0; i < model.params.size; i++) model.params.data[i] *= 3;
  const file = path.join(dir, `${cell}-${tied}.safetensors`);
  await saveCheckpoint(file, { model, tokenizer, card: {} });
  return { file, logits: Array.from(model.forward(Int32Array.from(IDS), IDS.length, 1, model.zeroState(1)) as Arr) };
}

function python(args: string[]) {
  const r = spawnSync(TORCH_PYTHON, [SCRIPT, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describeWithTool('LSTM variants and PyTorch', torchMissing(), () => {
  const STRICT = ['lstm', 'lstm-peephole', 'lstm-coupled', 'lstm-no-forget'] as const;
  const EXPAND = [['lstm-coupled', false], ['lstm-no-forget', false], ['lstm-coupled', true]] as const;
  let strict: Array<{ ok: boolean; error?: string }>;
  let expanded: { ours: number[]; theirs: number[][] }[];
  beforeAll(async () => {
    const dir = scratchDir('torch-variants');
    const s = await Promise.all(STRICT.map((c) => saved(c, false, dir)));
    strict = python(['strict', ...s.map((x) => x.file)]);
    const e = await Promise.all(EXPAND.map(([c, tied]) => saved(c, tied, dir)));
    const theirs: number[][][] = python(['expand', IDS.join(','), ...e.map((x) => x.file)]);
    expanded = e.map((x, i) => ({ ours: x.logits, theirs: theirs[i] }));
  }, 120_000);

  it('the standard LSTM loads strictly (the script\'s control case)', () => {
    expect(strict[0]).toEqual({ ok: true });
  });

  it.each([
    ['lstm-peephole', /Unexpected key.*rnn\.peephole_i_l0/],
    ['lstm-coupled', /size mismatch for rnn\.weight_ih_l0/],
    ['lstm-no-forget', /size mismatch for rnn\.weight_ih_l0/],
  ] as const)('nn.LSTM\'s strict load refuses %s', (cell, why) => {
    const r = strict[STRICT.indexOf(cell)];
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(why);
  });

  it.each(EXPAND.map(([cell, tied], k) => ({ cell, tied, k })))('$cell (tied=$tied) rewritten as nn.LSTM weights gives our logits', ({ k }) => {
    const { ours, theirs } = expanded[k];
    expect(theirs.flat()).toHaveLength(ours.length);
    theirs.flat().forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-4));
  });
});
