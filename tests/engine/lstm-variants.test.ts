// The LSTM variants (peephole, coupled, no forget gate) beyond what every cell is checked for in the reference,
// finite-difference and fast-path specs: what their traces report, sequences run in chunks with the state
// carried (forward and backward), exact resume of training, and the command line end to end.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { f64Backend, fastBackend, type Arr, type Backend } from '../../src/engine/backend.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import type { CellType } from '../../src/engine/config.ts';
import { RnnModel, type ModelState } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { resolveTrainConfig } from '../../src/training/config.ts';
import { siblingPath, train } from '../../src/training/trainer.ts';
import { ROOT } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';
import { ALL_CELLS, randomArray } from './helpers.ts';

const VARIANTS = ['lstm-peephole', 'lstm-coupled', 'lstm-no-forget'] as const;

function smallModel(cell: CellType, backend: Backend, seed: string, H = 6) {
  const V = 9;
  const m = new RnnModel({ cell, layers: 2, hiddenSize: H, embeddingSize: 5, vocabSize: V, dropout: 0, tieWeights: false }, backend);
  m.params.init(new Rng(seed));
  // Larger weights than the init, so gates saturate and the cell state moves far from 0.
  for (let i = 0; i < m.params.size; i++) m.params.data[i] *= 3;
  return m;
}

describe('gate traces of the LSTM variants', () => {
  const run = (cell: CellType) => {
    const m = smallModel(cell, f64Backend, `trace-${cell}`);
    const rng = new Rng('trace-tokens');
    const st = m.zeroState(1);
    return Array.from({ length: 30 }, () => {
      m.forward(Int32Array.of(rng.int(9)), 1, 1, st);
      return { trace: m.trace(0, 0), c: Array.from(st.c[1]!) };
    });
  };

  it('coupled: forget is exactly 1 − input and says so', () => {
    for (const { trace } of run('lstm-coupled')) {
      for (const l of trace) {
        expect(l.forgetIs).toBe('coupled');
        l.input!.forEach((i, j) => expect(l.forget![j]).toBe(1 - i));
      }
    }
  });

  it('no-forget: no forget values, marked fixed; the cell state only adds, by at most the input gate per step', () => {
    const steps = run('lstm-no-forget');
    let prev = new Array<number>(6).fill(0);
    let grew = 0;
    for (const { trace, c } of steps) {
      const top = trace[1];
      expect(top.forget).toBeUndefined();
      expect(top.forgetIs).toBe('fixed');
      expect(top.cell).toEqual(c);
      // c(t) − c(t−1) = i⊙g with |g| ≤ 1.
      top.cell.forEach((v, j) => expect(Math.abs(v - prev[j])).toBeLessThanOrEqual(top.input![j] + 1e-12));
      grew = Math.max(grew, ...top.cell.map(Math.abs));
      prev = top.cell;
    }
    expect(grew).toBeGreaterThan(1); // the check above is not met only because c stayed small
  });

  it('the standard LSTM breaks that bound (its forget gate can wipe the state), so the check above can fail', () => {
    const steps = run('lstm');
    let prev = new Array<number>(6).fill(0);
    let broken = false;
    for (const { trace } of steps) {
      const top = trace[1];
      expect(top.forgetIs).toBeUndefined();
      top.cell.forEach((v, j) => (broken ||= Math.abs(v - prev[j]) > top.input![j] + 1e-12));
      prev = top.cell;
    }
    expect(broken).toBe(true);
  });

  it('peephole: its own forget gate in (0, 1), no note', () => {
    for (const { trace } of run('lstm-peephole')) {
      for (const l of trace) {
        expect(l.forgetIs).toBeUndefined();
        for (const f of l.forget!) expect(f > 0 && f < 1).toBe(true);
      }
    }
  });
});

/** Loss Σ w⊙logits over a sequence: forward, backward; returns logits, parameter gradients and d(initial state). */
function wholeAndChunks(cell: CellType, backend: Backend) {
  const m = smallModel(cell, backend, `chunks-${cell}`);
  const V = 9, B = 2, T = 10, cut = 4;
  const rng = new Rng(`chunk-data-${cell}`);
  const tokens = Int32Array.from({ length: T * B }, () => rng.int(V));
  const w = randomArray(rng, T * B * V);
  const s0 = m.zeroState(B);
  for (const a of [...s0.h, ...s0.c]) if (a) a.set(randomArray(rng, a.length, 0.5));
  const copy = (s: ModelState): ModelState => ({ B, h: s.h.map((a) => a.slice()), c: s.c.map((a) => (a ? a.slice() : null)) });
  const dLogits = (from: number, to: number) => {
    const d = backend.alloc((to - from) * B * V);
    d.set(w.subarray(from * B * V, to * B * V));
    return d;
  };
  const flat = (s: ModelState) => [...s.h, ...s.c].flatMap((a) => (a ? Array.from(a) : []));

  m.params.zeroGrad();
  const whole = Array.from(m.forward(tokens, T, B, copy(s0)));
  const dWhole = flat(m.backward(dLogits(0, T)));
  const gWhole = Array.from(m.params.grad);

  // Truncated-BPTT style: run the first chunk, carry its final state into the second, back-propagate the
  // second, then re-run the first and back-propagate it with the gradient that reached the carried state.
  m.params.zeroGrad();
  const st = copy(s0);
  const first = Array.from(m.forward(tokens.subarray(0, cut * B), cut, B, st));
  const second = Array.from(m.forward(tokens.subarray(cut * B), T - cut, B, st));
  const dCarried = m.backward(dLogits(cut, T));
  const carried: ModelState = { B, h: dCarried.h.map((a) => a.slice()), c: dCarried.c.map((a) => (a ? a.slice() : null)) };
  m.forward(tokens.subarray(0, cut * B), cut, B, copy(s0));
  const dChunks = flat(m.backward(dLogits(0, cut), carried));
  return { whole, chunks: [...first, ...second], dWhole, dChunks, gWhole, gChunks: Array.from(m.params.grad) };
}

function worstRelative(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let scale = 0, worst = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}

describe.each<CellType>(ALL_CELLS)('a sequence run in two chunks with the state carried (%s)', (cell) => {
  it('gives the logits, parameter gradients and initial-state gradients of the whole run (Float64)', () => {
    const r = wholeAndChunks(cell, f64Backend);
    expect(worstRelative(r.chunks, r.whole)).toBeLessThan(1e-13);
    expect(worstRelative(r.gChunks, r.gWhole)).toBeLessThan(1e-12);
    expect(worstRelative(r.dChunks, r.dWhole)).toBeLessThan(1e-12);
  });

  it('and on the fast Float32 path, within Float32 rounding', async () => {
    const r = wholeAndChunks(cell, await fastBackend());
    expect(worstRelative(r.chunks, r.whole)).toBeLessThan(1e-5);
    expect(worstRelative(r.gChunks, r.gWhole)).toBeLessThan(1e-4);
    expect(worstRelative(r.dChunks, r.dWhole)).toBeLessThan(1e-4);
  });
});

describe.each(VARIANTS)('the %s WebAssembly step kernels', (cell) => {
  // The same layer on the fast backend with and without its element-wise kernels (the Float32 loops being the
  // definition), at a width with a row tail (H mod 4 = 3), forward and backward.
  const run = (backend: Backend, seen: string[]) => {
    const counting: Backend = { ...backend };
    for (const name of ['lstm3Forward', 'lstm3Backward', 'peepholeForward', 'peepholeBackward'] as const) {
      const fn = backend[name] as ((...a: unknown[]) => boolean) | undefined;
      if (fn) (counting as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => (fn(...a) && seen.push(name) > 0);
    }
    const m = smallModel(cell, counting, `kernels-${cell}`, 11);
    const rng = new Rng('kernel-data');
    const T = 7, B = 3, V = 9;
    const tokens = Int32Array.from({ length: T * B }, () => rng.int(V));
    const st = m.zeroState(B);
    for (const a of [...st.h, ...st.c]) if (a) a.set(randomArray(rng, a.length, 1));
    m.params.zeroGrad();
    const logits = Array.from(m.forward(tokens, T, B, st));
    const d = counting.alloc(T * B * V);
    d.set(randomArray(rng, T * B * V));
    const d0 = m.backward(d);
    return { logits, grad: Array.from(m.params.grad), dc0: Array.from(d0.c[0]!), c: Array.from(st.c[1]!) };
  };

  it('run, and agree with the loops they replace within Float32 rounding', async () => {
    const fast = await fastBackend();
    const loops: Backend = { ...fast, lstm3Forward: undefined, lstm3Backward: undefined, peepholeForward: undefined, peepholeBackward: undefined };
    const seen: string[] = [];
    const k = run(fast, seen);
    const l = run(loops, []);
    expect(new Set(seen)).toEqual(new Set(cell === 'lstm-peephole' ? ['peepholeForward', 'peepholeBackward'] : ['lstm3Forward', 'lstm3Backward']));
    expect(worstRelative(k.logits, l.logits)).toBeLessThan(1e-5);
    expect(worstRelative(k.c, l.c)).toBeLessThan(1e-5);
    expect(worstRelative(k.grad, l.grad)).toBeLessThan(1e-4);
    expect(worstRelative(k.dc0, l.dc0)).toBeLessThan(1e-4);
  });
});

const STORY = 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run! Jane saw Doug. Look, Doug, look!\n\n'.repeat(12);

describe.each(VARIANTS)('training %s', (cell) => {
  it('for 2N steps equals N steps, stopping and resuming for N more, bit for bit', async () => {
    const dir = scratchDir(`resume-${cell}`);
    const data = path.join(dir, 'story.txt');
    writeFileSync(data, STORY);
    const backend = await fastBackend();
    const config = (maxSteps: number) => resolveTrainConfig({ cell, layers: 2, hiddenSize: 16, embeddingSize: 8, batchSize: 4, seqLength: 16, evalEvery: 5, logEvery: 5, dropout: 0.1, maxSteps });
    const drain = async (opts: Parameters<typeof train>[0]) => {
      for await (const _ of train(opts)) { /* events are not under test here */ }
    };
    await drain({ config: config(12), data: [data], out: path.join(dir, 'whole.safetensors'), backend });
    await drain({ config: config(6), data: [data], out: path.join(dir, 'split.safetensors'), backend });
    await drain({ config: config(12), data: [data], out: path.join(dir, 'split.safetensors'), backend, resume: true, overrides: { maxSteps: 12 } });
    const a = await loadCheckpoint(siblingPath(path.join(dir, 'whole.safetensors'), 'latest'), backend);
    const b = await loadCheckpoint(siblingPath(path.join(dir, 'split.safetensors'), 'latest'), backend);
    expect(a.model.config.cell).toBe(cell);
    const bytes = (x: Arr) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    expect(bytes(b.model.params.data).equals(bytes(a.model.params.data))).toBe(true);
    expect(bytes(b.optimizer!.m).equals(bytes(a.optimizer!.m))).toBe(true);
    // The weights moved: a run that trained nothing would pass the comparison above too.
    const init = new RnnModel(a.model.config, backend);
    init.params.init(new Rng('not-trained'));
    expect(bytes(a.model.params.data).equals(bytes(init.params.data))).toBe(false);
  });
});

describe('the storyteller command with an LSTM variant', () => {
  // The sources, not a build: this checks the engine as it stands.
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/storyteller.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });

  it('trains --cell lstm-no-forget on a tiny corpus, then generates with gates that say the forget gate is fixed', () => {
    const dir = scratchDir('variant-cli');
    const data = path.join(dir, 'story.txt');
    writeFileSync(data, STORY);
    const out = path.join(dir, 'nf.safetensors');
    const t = cli(['train', '--cell', 'lstm-no-forget', '--data', data, '--out', out, '--hidden-size', '16', '--layers', '1', '--max-steps', '10']);
    expect(t.status, t.stderr).toBe(0);
    const json = path.join(dir, 'g.json');
    const g = cli(['generate', '--checkpoint', out, '--gates-json', json, '--length', '12', '--seed', '3']);
    expect(g.status, g.stderr).toBe(0);
    const tokens = JSON.parse(readFileSync(json, 'utf8')).tokens as Array<{ gates: Array<Record<string, unknown>> }>;
    expect(tokens.length).toBeGreaterThanOrEqual(12);
    for (const tok of tokens) {
      expect(tok.gates[0].forgetIs).toBe('fixed');
      expect(tok.gates[0].forget).toBeUndefined();
      expect((tok.gates[0].cell as number[]).length).toBe(16);
    }
  });

  it('rejects an unknown cell in one line naming the cells it knows', () => {
    const t = cli(['train', '--cell', 'lstm-peep', '--data', 'corpora/early-reader.txt', '--out', path.join(scratchDir('variant-cli-bad'), 'x.safetensors')]);
    expect(t.status).not.toBe(0);
    expect(t.stderr).toMatch(/lstm-peephole/);
    expect(t.stderr.trim().split('\n')).toHaveLength(1);
  });
});
