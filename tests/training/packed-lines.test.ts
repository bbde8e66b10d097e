// --pack-lines: a corpus of independent lines (the long-dependency episodes) trains in windows that each
// start from a fresh state at the start of a line, as a prompt does. Whole lines, in order, none split;
// padding is never scored; lines too long for a window are left out and counted.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { packLines, PackedWindows } from '../../src/training/packed-lines.ts';
import type { TrainEvent } from '../../src/training/events.ts';
import { siblingPath, train } from '../../src/training/trainer.ts';
import { scratchDir } from '../support/scratch.ts';

const LINES = ['I grew up in Japan. I speak fluent Japanese.', 'Hi.', 'A line far too long to fit in any window of this test at all.', 'I grew up in Spain. We ran. I speak fluent Spanish.', 'Yes.'];
const TEXT = LINES.join('\n') + '\n';

/** The windows as text, padding shown as "·" and the newlines as "/". */
function windowsText(tok: CharTokenizer, T: number, windows: Int32Array, weights: Float32Array): string[] {
  const out: string[] = [];
  for (let o = 0; o < windows.length; o += T + 1) {
    let s = '';
    for (let j = 0; j <= T; j++) {
      const ch = tok.vocab[windows[o + j]];
      s += j > 0 && weights[o + j] === 0 ? '·' : ch === '\n' ? '/' : ch;
    }
    out.push(s);
  }
  return out;
}

describe('packed lines', () => {
  const tok = CharTokenizer.fromText(TEXT, false);
  const tokens = tok.encodeCorpus(TEXT);
  const nl = tok.idOf('\n')!;

  it('start every window at a line start and hold whole lines in order, the rest unscored', () => {
    const T = 56;
    const p = packLines(tokens, nl, T);
    expect(p.skipped).toBe(1);
    expect(windowsText(tok, T, p.windows, p.weights)).toEqual([
      `/${LINES[0]}/Hi./`.padEnd(T + 1, '·'),
      `/${LINES[3]}/`.padEnd(T + 1, '·'),
      `/${LINES[4]}/`.padEnd(T + 1, '·'),
    ]);
    // The first token of a window is never a target; every real target weighs 1.
    for (let k = 0; k < p.count; k++) expect(p.weights[k * (T + 1)]).toBe(0);
    expect(new Set(p.weights)).toEqual(new Set([0, 1]));
  });

  it('carry the answer weights of the tokens they pack', () => {
    const weights = Float32Array.from(tokens, (_, i) => (TEXT[i] === 'J' ? 9 : 1));
    const p = packLines(tokens, nl, 56, weights);
    const heavy = Array.from(p.windows).filter((_, i) => p.weights[i] === 9).map((id) => tok.vocab[id]);
    expect(heavy).toEqual(['J', 'J']);
  });

  it('refuse a corpus with no line that fits', () => {
    expect(() => packLines(tokens, nl, 3)).toThrow(/no line of the corpus fits in a window of 3 tokens/);
  });

  it('feed B windows per step as inputs, next-token targets and weights', () => {
    const T = 56;
    const p = packLines(tokens, nl, T);
    const s = new PackedWindows(p, 2, T);
    expect(s.next()).toBe(false);
    for (let b = 0; b < 2; b++)
      for (let t = 0; t < T; t++) {
        expect(s.x[t * 2 + b]).toBe(p.windows[b * (T + 1) + t]);
        expect(s.y[t * 2 + b]).toBe(p.windows[b * (T + 1) + t + 1]);
        expect(s.w[t * 2 + b]).toBe(p.weights[b * (T + 1) + t + 1]);
      }
    expect(s.next()).toBe(true); // the third window alone cannot fill two streams: a new pass
    expect(s.pos).toBe(2);
  });
});

describe('training with --pack-lines', () => {
  async function run(opts: Parameters<typeof train>[0]): Promise<TrainEvent[]> {
    const events: TrainEvent[] = [];
    for await (const e of train(opts)) events.push(e);
    return events;
  }

  it('warns about the lines left out, trains, and resumes bit for bit', async () => {
    const dir = scratchDir('pack');
    const data = path.join(dir, 'episodes.txt');
    writeFileSync(data, TEXT.repeat(40));
    const config = (maxSteps: number) =>
      resolveTrainConfig({ layers: 1, hiddenSize: 8, embeddingSize: 4, batchSize: 3, seqLength: 60, evalEvery: 4, logEvery: 1, maxSteps, unwrap: false, packLines: true, answerCue: 'I speak fluent ', answerWeight: 5, valFraction: 0 });
    const whole = await run({ config: config(8), data: [data], out: path.join(dir, 'whole.safetensors'), backend: f32LoopBackend });
    const warnings = whole.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings).toContainEqual(expect.stringMatching(/^--pack-lines: 40 lines longer than a window of 60 tokens are left out/));
    const losses = whole.flatMap((e) => (e.type === 'step' ? [e.loss] : []));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);

    await run({ config: config(4), data: [data], out: path.join(dir, 'split.safetensors'), backend: f32LoopBackend });
    await run({ config: config(8), data: [data], out: path.join(dir, 'split.safetensors'), backend: f32LoopBackend, resume: true, overrides: { maxSteps: 8 } });
    const a = await loadCheckpoint(siblingPath(path.join(dir, 'whole.safetensors'), 'latest'), f32LoopBackend);
    const b = await loadCheckpoint(siblingPath(path.join(dir, 'split.safetensors'), 'latest'), f32LoopBackend);
    expect(Array.from(b.model.params.data)).toEqual(Array.from(a.model.params.data));
  });
});
