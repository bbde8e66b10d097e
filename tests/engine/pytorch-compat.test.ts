// A PyTorch user can load our weights into word_language_model's RnnModel (strict) and get our logits.
// Needs Debian's python3-torch (.ci/run installs it): without it the suite fails, unless STORYTELLER_SKIP_E2E=1.
import { spawnSync } from 'node:child_process';

import path from 'node:path';
import { expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { ROOT } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { describeWithTool, torchMissing, TORCH_PYTHON } from '../support/tools.ts';

describeWithTool('PyTorch compatibility', torchMissing(), () => {
  it.each([
    ['lstm', false],
    ['gru', false],
    ['rnn', false],
    ['lstm', true],
  ] as const)('%s (tied=%s) gives PyTorch the same logits', async (cell, tied) => {
    const tokenizer = CharTokenizer.fromText('abcdefghij');
    const H = tied ? 6 : 7;
    const model = new RnnModel({ cell, layers: 2, hiddenSize: H, embeddingSize: 6, vocabSize: 10, dropout: 0, tieWeights: tied }, f32LoopBackend);
    model.params.init(new Rng(`torch-${cell}`));
    for (let i = 0; i < model.params.size; i++) model.params.data[i] *= 3;
    const file = path.join(scratchDir('torch'), 'm.safetensors');
    await saveCheckpoint(file, { model, tokenizer, card: {} });
    const ids = [3, 1, 4, 1, 5, 9, 2, 6];
    const ours = model.forward(Int32Array.from(ids), ids.length, 1, model.zeroState(1));
    const r = spawnSync(TORCH_PYTHON, [path.join(ROOT, 'tests/support/torch_logits.py'), file, ids.join(',')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const theirs: number[][] = JSON.parse(r.stdout);
    theirs.flat().forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-4));
  });
});
