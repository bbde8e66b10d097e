// 16-bit checkpoints: F16 and BF16 narrowing rounds to the nearest representable value (ties to even), checked
// against a slow search over all 65,536 bit patterns; a checkpoint stored in 16 bits loads as the same model
// to within the rounding.
import path from 'node:path';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { fromBfloat16Bits, fromHalfBits, toBfloat16Bits, toHalfBits, widen16 } from '../../src/engine/half.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { scratchDir } from '../support/scratch.ts';

/** Every finite value of a 16-bit format, sorted, with its bit pattern: the slow obvious reference. */
function table(widen: (h: number) => number): Array<[number, number]> {
  const rows: Array<[number, number]> = [];
  for (let h = 0; h < 0x10000; h++) {
    const v = widen(h);
    if (Number.isFinite(v) && !Object.is(v, -0)) rows.push([v, h]);
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

/** The nearest entry by search; on a tie the one with an even mantissa (last bit 0). */
function nearest(rows: Array<[number, number]>, x: number): number {
  let best = rows[0];
  for (const r of rows) {
    const d = Math.abs(r[0] - x) - Math.abs(best[0] - x);
    if (d < 0 || (d === 0 && (r[1] & 1) === 0)) best = r;
  }
  return best[0];
}

describe.each([
  ['F16', toHalfBits, fromHalfBits, 65504],
  ['BF16', toBfloat16Bits, fromBfloat16Bits, 3.3895313892515355e38],
] as const)('%s', (_name, narrow, widen, max) => {
  const rows = table(widen);

  it('round-trips every finite bit pattern', () => {
    for (const [v, h] of rows) expect(narrow(v)).toBe(h);
  });

  it('rounds to the nearest value, ties to even (random values against a search of all values)', () => {
    const rng = new Rng('half');
    const f = new Float32Array(1);
    for (let i = 0; i < 400; i++) {
      // Values across the whole range, including subnormals and exact midpoints between neighbours.
      const scale = 2 ** Math.floor(rng.uniform(-26, Math.log2(max)));
      f[0] = rng.uniform(-1, 1) * scale;
      if (i % 10 === 0) {
        const k = Math.floor(rng.uniform(1, rows.length - 1));
        f[0] = (rows[k][0] + rows[k + 1][0]) / 2;
      }
      expect(widen(narrow(f[0])) + 0).toBe(nearest(rows, f[0]) + 0); // +0: a tiny negative value rounds to -0
    }
  });

  it('widens a whole tensor to the values of the one-at-a-time conversion, for every bit pattern', () => {
    const bits = Uint16Array.from({ length: 0x10000 }, (_, h) => h);
    const bulk = widen16(_name, bits);
    for (let h = 0; h < 0x10000; h++) if (!Object.is(bulk[h], Math.fround(widen(h))) && !(Number.isNaN(bulk[h]) && Number.isNaN(widen(h)))) throw new Error(`${_name} pattern ${h}: ${bulk[h]} ≠ ${widen(h)}`);
    expect(bulk).toHaveLength(0x10000);
  });

  it('keeps infinities and NaN', () => {
    expect(widen(narrow(Infinity))).toBe(Infinity);
    expect(widen(narrow(-Infinity))).toBe(-Infinity);
    expect(widen(narrow(NaN))).toBeNaN();
  });
});

describe('16-bit checkpoints', () => {
  it.each(['F16', 'BF16'] as const)('%s weights are half the size and load within the rounding', async (weights) => {
    const tokenizer = CharTokenizer.fromText('the quick brown fox jumps over the lazy dog');
    const model = new RnnModel({ cell: 'lstm', layers: 2, hiddenSize: 32, embeddingSize: 16, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f32LoopBackend);
    model.params.init(new Rng('half-ck'));
    const dir = scratchDir('half');
    await saveCheckpoint(path.join(dir, 'f32.safetensors'), { model, tokenizer, card: {} });
    await saveCheckpoint(path.join(dir, 'h.safetensors'), { model, tokenizer, card: {} }, { weights });
    const size = (f: string) => statSync(path.join(dir, f)).size;
    expect(size('h.safetensors')).toBeLessThan(size('f32.safetensors') * 0.6);
    const back = (await loadCheckpoint(path.join(dir, 'h.safetensors'), f32LoopBackend)).model.params.data;
    const rel = weights === 'F16' ? 2 ** -11 : 2 ** -8;
    let changed = 0;
    model.params.data.forEach((v, i) => {
      expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(Math.abs(v) * rel + 1e-7);
      if (back[i] !== v) changed++;
    });
    expect(changed).toBeGreaterThan(0); // really stored in 16 bits
  });
});
