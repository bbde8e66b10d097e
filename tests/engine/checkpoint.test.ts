// Checkpoints: the safetensors layout PyTorch expects, round trips, atomic writes and one-line errors.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint, saveCheckpoint, stripCheckpoint, readCheckpointSummary } from '../../src/engine/checkpoint.ts';
import type { CellType } from '../../src/engine/config.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { WordTokenizer } from '../../src/text/word-tokenizer.ts';
import { scratchDir } from '../support/scratch.ts';
import { ALL_CELLS } from './helpers.ts';

function model(tied = false, cell: CellType = 'lstm') {
  const tokenizer = CharTokenizer.fromText('Doug saw Jane.');
  const H = tied ? 8 : 6;
  const m = new RnnModel({ cell, layers: 2, hiddenSize: H, embeddingSize: 8, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: tied }, f32LoopBackend);
  m.params.init(new Rng('ck'));
  return { model: m, tokenizer, card: { name: 'test', steps: 3 } };
}

function header(file: string) {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  return JSON.parse(buf.subarray(8, 8 + n).toString());
}

const dir = () => scratchDir('ck');

describe('checkpoint files', () => {
  it('use the tensor names and shapes of PyTorch word_language_model RnnModel', async () => {
    const file = path.join(dir(), 'm.safetensors');
    const ck = model();
    await saveCheckpoint(file, ck);
    const h = header(file);
    const V = ck.tokenizer.vocab.length;
    expect(h['encoder.weight'].shape).toEqual([V, 8]);
    expect(h['rnn.weight_ih_l0'].shape).toEqual([24, 8]);
    expect(h['rnn.weight_hh_l0'].shape).toEqual([24, 6]);
    expect(h['rnn.bias_ih_l1'].shape).toEqual([24]);
    expect(h['rnn.weight_ih_l1'].shape).toEqual([24, 6]);
    expect(h['decoder.weight'].shape).toEqual([V, 6]);
    expect(h['decoder.bias'].shape).toEqual([V]);
    expect(h['encoder.weight'].dtype).toBe('F32');
    expect(h.__metadata__.format_version).toBe('1');
  });

  it('store decoder.weight even when tied, equal to the embedding', async () => {
    const file = path.join(dir(), 'tied.safetensors');
    await saveCheckpoint(file, model(true));
    const h = header(file);
    expect(h['decoder.weight'].shape).toEqual(h['encoder.weight'].shape);
    const back = await loadCheckpoint(file, f32LoopBackend);
    expect(Array.from(back.model.params.view('decoder.weight'))).toEqual(Array.from(back.model.params.view('encoder.weight')));
  });

  it('of the LSTM variants keep PyTorch\'s names, with the forget rows left out (3H) and peepholes beside them', async () => {
    const d = dir();
    const shapes = async (cell: CellType) => {
      const file = path.join(d, `${cell}.safetensors`);
      await saveCheckpoint(file, model(false, cell));
      const h = header(file);
      return Object.fromEntries(Object.keys(h).filter((k) => k.startsWith('rnn.')).map((k) => [k, h[k].shape]));
    };
    const peep = await shapes('lstm-peephole');
    expect(Object.keys(peep).sort()).toEqual([0, 1].flatMap((k) => ['bias_hh', 'bias_ih', 'peephole_f', 'peephole_i', 'peephole_o', 'weight_hh', 'weight_ih'].map((n) => `rnn.${n}_l${k}`)).sort());
    expect(peep['rnn.peephole_i_l1']).toEqual([6]);
    expect(peep['rnn.weight_hh_l0']).toEqual([24, 6]);
    for (const cell of ['lstm-coupled', 'lstm-no-forget'] as const) {
      const s = await shapes(cell);
      expect(Object.keys(s)).toHaveLength(8);
      expect(s['rnn.weight_ih_l0']).toEqual([18, 8]);
      expect(s['rnn.weight_hh_l1']).toEqual([18, 6]);
      expect(s['rnn.bias_hh_l1']).toEqual([18]);
    }
  });

  it.each(ALL_CELLS)('round-trip weights, config, tokenizer and card (%s)', async (cell) => {
    const file = path.join(dir(), 'm.safetensors');
    const ck = model(false, cell);
    await saveCheckpoint(file, ck);
    const back = await loadCheckpoint(file, f32LoopBackend);
    expect(back.model.config).toEqual(ck.model.config);
    expect(Array.from(back.model.params.data)).toEqual(Array.from(ck.model.params.data));
    expect(back.tokenizer.vocab).toEqual(ck.tokenizer.vocab);
    expect(back.card).toEqual(ck.card);
  });

  it('round-trip a word tokenizer', async () => {
    const file = path.join(dir(), 'w.safetensors');
    const tokenizer = WordTokenizer.fromText('the dog saw the cat .');
    const m = new RnnModel({ cell: 'lstm', layers: 1, hiddenSize: 4, embeddingSize: 4, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: true }, f32LoopBackend);
    await saveCheckpoint(file, { model: m, tokenizer, card: {} });
    const back = await loadCheckpoint(file, f32LoopBackend);
    expect(back.tokenizer.level).toBe('word');
    expect(back.tokenizer.vocab).toEqual(tokenizer.vocab);
  });

  it('keep optimizer moments when asked, and strip them for shipping', async () => {
    const d = dir();
    const ck = model();
    const n = ck.model.params.size;
    const m = Float32Array.from({ length: n }, (_, i) => i / n);
    await saveCheckpoint(path.join(d, 'full.safetensors'), { ...ck, optimizer: { m, v: m, t: 7 } }, { withOptimizer: true });
    const full = await loadCheckpoint(path.join(d, 'full.safetensors'), f32LoopBackend);
    expect(full.optimizer?.t).toBe(7);
    expect(Array.from(full.optimizer!.m)).toEqual(Array.from(m));
    await stripCheckpoint(path.join(d, 'full.safetensors'), path.join(d, 'slim.safetensors'), f32LoopBackend);
    expect(Object.keys(header(path.join(d, 'slim.safetensors'))).some((k) => k.startsWith('optimizer'))).toBe(false);
  });

  it('are written atomically: no temporary files remain', async () => {
    const d = dir();
    await saveCheckpoint(path.join(d, 'm.safetensors'), model());
    expect(readdirSync(d)).toEqual(['m.safetensors']);
  });

  it('summarise from the header alone', async () => {
    const file = path.join(dir(), 'named.safetensors');
    const ck = model();
    await saveCheckpoint(file, ck);
    expect(await readCheckpointSummary(file)).toMatchObject({ name: 'named', level: 'char', cell: 'lstm', layers: 2, params: ck.model.paramCount, steps: 3 });
  });
});

describe('a bad checkpoint gives a one-line error naming the file and the problem', () => {
  const cases: Array<[string, (file: string, good: Buffer) => void, RegExp]> = [
    ['missing', () => {}, /no such file/],
    ['empty', (f) => writeFileSync(f, ''), /truncated/],
    ['truncated', (f, good) => writeFileSync(f, good.subarray(0, good.length - 10)), /truncated/],
    ['corrupt header', (f, good) => {
      const b = Buffer.from(good);
      b.write('}}}}', 9);
      writeFileSync(f, b);
    }, /corrupt|not valid JSON/],
    ['another format version', (f, good) => writeFileSync(f, Buffer.from(good.toString('latin1').replace('"format_version":"1"', '"format_version":"9"'), 'latin1')), /format version 9.*reads version 1/],
    ['not ours', (f, good) => writeFileSync(f, Buffer.from(good.toString('latin1').replace('"format":"lstm-storyteller"', '"format":"xxxx-storyteller"'), 'latin1')), /not an lstm-storyteller checkpoint/],
  ];
  it.each(cases)('%s', async (_name, damage, message) => {
    const d = dir();
    const good = path.join(d, 'good.safetensors');
    await saveCheckpoint(good, model());
    const bad = path.join(d, 'bad.safetensors');
    damage(bad, readFileSync(good));
    const err = await loadCheckpoint(bad, f32LoopBackend).then(() => null, (e: Error) => e);
    expect(err).not.toBeNull();
    expect(err!.message).toMatch(message);
    expect(err!.message).toContain(bad);
    expect(err!.message).not.toContain('\n');
  });
});
