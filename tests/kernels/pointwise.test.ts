/**
 * The element-wise WebAssembly kernels against plain JS loops (double arithmetic on the same float inputs),
 * on odd sizes so every row has a vector part and a tail. Tolerances:
 * - σ and tanh: within 3 ulp of the exact value (relative 3·2⁻²⁴) wherever the result is a normal float;
 * - the LSTM and GRU steps: within 1e-6·(1 + |value|) of the loop (a few float roundings);
 * - bias add, row sums, Adam, the sum of squares and gradient scaling: bit-identical to the loops (the kernels
 *   are built to be);
 * - softmax cross-entropy: loss within 1e-6 relative, gradients within 1e-6 of the largest.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { f32LoopBackend, fastBackend, kernelsBackend, type Backend } from '../../src/engine/backend.ts';
import { addBias, addRowSums } from '../../src/engine/cells/layer.ts';
import { getKernels, type Kernels, type PointwiseKernels } from '../../src/engine/kernels/index.ts';
import { SQUARES_BLOCK } from '../../src/engine/kernels/pointwise.ts';
import { softmaxCrossEntropy } from '../../src/engine/model.ts';
import { Adam, clipGradNorm, sumSquares } from '../../src/training/optimizer.ts';

const ULP = 2 ** -24;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

let k: Kernels;
let pw: PointwiseKernels;
beforeAll(() => {
  k = getKernels({ backend: 'wasm' });
  if (!k.pointwise) throw new Error('WebAssembly SIMD kernels unavailable');
  pw = k.pointwise;
});

/** A kernel-memory copy of `src` (or n random values in ±spread). */
function inKernel(src: Float32Array): Float32Array {
  const a = k.alloc(src.length);
  a.set(src);
  return a;
}
function random(n: number, spread: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * 2 * spread);
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: (w: number) => number, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= tol(want[i]))) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (error ${err})`);
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Runs lstmForward on one row whose four gates all hold xs; returns [σ(xs), tanh(xs)] as computed. */
function activations(xs: Float32Array): [Float32Array, Float32Array] {
  const H = xs.length;
  const g = k.alloc(4 * H);
  for (let q = 0; q < 4; q++) g.set(xs, q * H);
  const cp = k.alloc(H), cn = k.alloc(H), tc = k.alloc(H), hn = k.alloc(H);
  expect(pw.lstmForward(g, cp, cn, tc, hn, 1, H)).toBe(true);
  return [g.slice(0, H), g.slice(2 * H, 3 * H)];
}

describe('activations', () => {
  test('σ is within 3 ulp over the whole range where it is a normal float', () => {
    const xs = Float32Array.from({ length: 40001 }, (_, i) => -87 + (i * 175) / 40000);
    const [s] = activations(xs);
    expectNear(s, Array.from(xs, sigmoid), (w) => 3 * ULP * w, 'σ');
  });

  test('tanh is within 3 ulp, including small arguments and both sides of the polynomial switch at 0.625', () => {
    const xs = Float32Array.from({ length: 40001 }, (_, i) => {
      const u = -1 + i / 20000;
      return Math.sign(u) * 20 * u * u; // dense near 0
    });
    const around = Float32Array.from({ length: 2001 }, (_, i) => 0.6 + i * 5e-5);
    const all = new Float32Array([...xs, ...around, ...around.map((x) => -x), 1e-30, -1e-7, 0]);
    const [, t] = activations(all);
    expectNear(t, Array.from(all, Math.tanh), (w) => 3 * ULP * Math.max(Math.abs(w), 2 ** -126), 'tanh');
  });

  test('saturate to finite limits for huge arguments instead of overflowing', () => {
    const xs = new Float32Array([-1e30, -1000, -100, 100, 1000, 1e30]);
    const [s, t] = activations(xs);
    expect(Array.from(t)).toEqual([-1, -1, -1, 1, 1, 1]);
    expect(Array.from(s.subarray(3))).toEqual([1, 1, 1]);
    for (const v of s.subarray(0, 3)) expect(v >= 0 && v < 1e-37).toBe(true);
  });

  test('keep NaN as NaN, so a diverging run still shows up in the loss', () => {
    const [s, t] = activations(new Float32Array([NaN, 1, NaN]));
    expect([s[0], s[2], t[0], t[2]].every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(s[1]) || Number.isNaN(t[1])).toBe(false);
  });
});

/** The LSTM step forward loop of cells/lstm.ts in doubles. */
function lstmForwardLoop(g: Float32Array, cp: Float32Array, B: number, H: number) {
  const G = Float64Array.from(g), cn = new Float64Array(B * H), tc = new Float64Array(B * H), hn = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const gb = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(G[gb + j]), f = sigmoid(G[gb + H + j]), gg = Math.tanh(G[gb + 2 * H + j]), o = sigmoid(G[gb + 3 * H + j]);
      G[gb + j] = i; G[gb + H + j] = f; G[gb + 2 * H + j] = gg; G[gb + 3 * H + j] = o;
      const c = f * cp[b * H + j] + i * gg;
      cn[b * H + j] = c;
      tc[b * H + j] = Math.tanh(c);
      hn[b * H + j] = o * Math.tanh(c);
    }
  }
  return { G, cn, tc, hn };
}

describe.each([[1, 1], [3, 13], [5, 48], [2, 7]])('LSTM step with B=%i, H=%i', (B, H) => {
  const close = (w: number): number => 1e-6 * (1 + Math.abs(w));

  test('forward matches the loop', () => {
    const rand = rng(B * 100 + H);
    const g0 = random(4 * B * H, 6, rand), cp0 = random(B * H, 3, rand);
    const want = lstmForwardLoop(g0, cp0, B, H);
    const g = inKernel(g0), cp = inKernel(cp0), cn = k.alloc(B * H), tc = k.alloc(B * H), hn = k.alloc(B * H);
    expect(pw.lstmForward(g, cp, cn, tc, hn, B, H)).toBe(true);
    expectNear(g, want.G, close, 'gates');
    expectNear(cn, want.cn, close, 'c');
    expectNear(tc, want.tc, close, 'tanh(c)');
    expectNear(hn, want.hn, close, 'h');
    expect(Array.from(cp)).toEqual(Array.from(cp0)); // the previous state is only read
  });

  test('backward matches the loop', () => {
    const rand = rng(B * 7 + H * 3);
    const G0 = Float32Array.from({ length: 4 * B * H }, () => rand() + 0.5); // activated gates, i f o in (0,1)
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) G0[b * 4 * H + 2 * H + j] = rand() * 1.9; // g in (−1,1)
    const tc0 = random(B * H, 0.49, rand), cp0 = random(B * H, 2, rand);
    const dOut0 = random(B * H, 1, rand), dh0 = random(B * H, 1, rand), dc0 = random(B * H, 1, rand);
    const dGw = new Float64Array(4 * B * H), dcw = Float64Array.from(dc0);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const r = b * H + j, gb = b * 4 * H;
        const i = G0[gb + j], f = G0[gb + H + j], gg = G0[gb + 2 * H + j], o = G0[gb + 3 * H + j], tc = tc0[r];
        const dhv = dOut0[r] + dh0[r];
        const dcv = dcw[r] + dhv * o * (1 - tc * tc);
        dGw[gb + j] = dcv * gg * i * (1 - i);
        dGw[gb + H + j] = dcv * cp0[r] * f * (1 - f);
        dGw[gb + 2 * H + j] = dcv * i * (1 - gg * gg);
        dGw[gb + 3 * H + j] = dhv * tc * o * (1 - o);
        dcw[r] = dcv * f;
      }
    }
    const dG = k.alloc(4 * B * H), dc = inKernel(dc0), dh = inKernel(dh0);
    expect(pw.lstmBackward(inKernel(G0), inKernel(tc0), inKernel(cp0), inKernel(dOut0), dh, dc, dG, B, H)).toBe(true);
    expectNear(dG, dGw, close, 'dG');
    expectNear(dc, dcw, close, 'dc');
    expect(Array.from(dh)).toEqual(Array.from(dh0));
  });
});

describe.each([[1, 1], [3, 13], [2, 48]])('GRU step with B=%i, H=%i', (B, H) => {
  test('forward matches the loop', () => {
    const rand = rng(B * 50 + H);
    const gx0 = random(3 * B * H, 4, rand), gh0 = random(3 * B * H, 4, rand), hp0 = random(B * H, 1, rand);
    const gxw = Float64Array.from(gx0), hnw = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      const o = b * 3 * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(gx0[o + j] + gh0[o + j]);
        const z = sigmoid(gx0[o + H + j] + gh0[o + H + j]);
        const n = Math.tanh(gx0[o + 2 * H + j] + r * gh0[o + 2 * H + j]);
        gxw[o + j] = r; gxw[o + H + j] = z; gxw[o + 2 * H + j] = n;
        hnw[b * H + j] = (1 - z) * n + z * hp0[b * H + j];
      }
    }
    const gx = inKernel(gx0), hn = k.alloc(B * H);
    expect(pw.gruForward(gx, inKernel(gh0), inKernel(hp0), hn, B, H)).toBe(true);
    const close = (w: number): number => 1e-6 * (1 + Math.abs(w));
    expectNear(gx, gxw, close, 'gates');
    expectNear(hn, hnw, close, 'h');
  });
});

test('tanh in place matches Math.tanh within 3 ulp on an odd length', () => {
  const x0 = random(1003, 5, rng(3));
  const x = inKernel(x0);
  expect(pw.tanhInPlace(x)).toBe(true);
  expectNear(x, Array.from(x0, Math.tanh), (w) => 3 * ULP * Math.max(Math.abs(w), 2 ** -126), 'tanh');
});

describe.each([[1, 1], [7, 13], [4, 80], [3, 5]])('bias kernels on %i×%i', (R, N) => {
  test('bias add is bit-identical to the loop', async () => {
    const rand = rng(R * 31 + N);
    const M0 = random(R * N, 3, rand), bias0 = random(N, 1e-3, rand);
    const want = M0.slice();
    addBias(want, R, N, bias0);
    const M = inKernel(M0);
    expect(pw.addBias(M, R, N, inKernel(bias0))).toBe(true);
    expect(Array.from(M)).toEqual(Array.from(want));
  });

  test('row sums are bit-identical to the loop', () => {
    const rand = rng(R * 17 + N);
    const M0 = random(R * N, 3, rand), out0 = random(N, 100, rand);
    const want = out0.slice();
    addRowSums(M0, R, N, want);
    const out = inKernel(out0);
    expect(pw.addRowSums(inKernel(M0), R, N, out)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(want));
  });
});

describe('softmax cross-entropy', () => {
  let fast: Backend;
  beforeAll(async () => {
    fast = await fastBackend();
  });

  test.each([[5, 37], [3, 4], [2, 1], [9, 80]])('on %i×%i agrees with the loop in loss and gradient', (N, V) => {
    const rand = rng(N * 1000 + V);
    const logits0 = random(N * V, 8, rand);
    const targets = Int32Array.from({ length: N }, (_, r) => (r * 7) % V);
    const gradWant = new Float32Array(N * V);
    const lossWant = softmaxCrossEntropy(logits0, targets, N, V, gradWant, 0.25, f32LoopBackend); // the loop
    // Arrays outside kernel memory take the loop even on the fast backend.
    const gradPlain = new Float32Array(N * V);
    expect(softmaxCrossEntropy(logits0, targets, N, V, gradPlain, 0.25, fast)).toBe(lossWant);
    expect(Array.from(gradPlain)).toEqual(Array.from(gradWant));
    const logits = inKernel(logits0), grad = fast.alloc(N * V) as Float32Array;
    const loss = softmaxCrossEntropy(logits, targets, N, V, grad, 0.25, fast);
    expect(Math.abs(loss - lossWant)).toBeLessThanOrEqual(1e-6 * Math.abs(lossWant));
    expectNear(grad, gradWant, () => 1e-6 * 0.25, 'gradient');
    const lossOnly = softmaxCrossEntropy(logits, targets, N, V, null, 1, fast);
    expect(lossOnly).toBe(loss);
  });

  test('may write the gradient over the logits', () => {
    const N = 6, V = 23;
    const rand = rng(99);
    const logits0 = random(N * V, 4, rand);
    const targets = Int32Array.from({ length: N }, (_, r) => (r * 5) % V);
    const separate = fast.alloc(N * V);
    const loss = softmaxCrossEntropy(inKernel(logits0), targets, N, V, separate, 1, fast);
    const same = inKernel(logits0);
    expect(softmaxCrossEntropy(same, targets, N, V, same, 1, fast)).toBe(loss);
    expect(Array.from(same)).toEqual(Array.from(separate));
  });
});

describe('Adam kernel', () => {
  test('is bit-identical to the loop over several steps (odd length)', async () => {
    const fast = await fastBackend();
    const n = 1001;
    const rand = rng(5);
    const p0 = random(n, 1, rand);
    const slow = { opt: new Adam(n, f32LoopBackend), p: p0.slice() };
    const quick = { opt: new Adam(n, fast), p: inKernel(p0) };
    for (let step = 0; step < 5; step++) {
      const g0 = random(n, 10 ** (step - 2), rand);
      slow.opt.step(slow.p, g0, 2e-3);
      quick.opt.step(quick.p, inKernel(g0), 2e-3);
    }
    expect(Array.from(quick.p)).toEqual(Array.from(slow.p));
    expect(Array.from(quick.opt.state().m)).toEqual(Array.from(slow.opt.state().m));
    expect(Array.from(quick.opt.state().v)).toEqual(Array.from(slow.opt.state().v));
  });
});

describe('gradient clipping kernels', () => {
  // Lengths with every tail (0 to 3 past a multiple of 4), below one lane group, and across blocks.
  const lengths = [1, 2, 3, 4, 5, 6, 7, 1001, SQUARES_BLOCK, SQUARES_BLOCK + 3, 2 * SQUARES_BLOCK + 7];

  test.each(lengths)('the sum of squares of %i floats is bit-identical to the loop, and is Σ x²', (n) => {
    const x = random(n, 3, rng(n));
    const loop = sumSquares(x);
    expect(pw.sumSquares(inKernel(x))).toBe(loop);
    let plain = 0;
    for (const v of x) plain += v * v;
    expect(Math.abs(loop - plain)).toBeLessThanOrEqual(1e-12 * plain);
  });

  test.each(lengths)('scaling %i floats in place rounds each product as the loop does', (n) => {
    const x = random(n, 3, rng(n + 1));
    const s = 0.7071067811865476;
    const quick = inKernel(x);
    expect(pw.scaleInPlace(quick, s)).toBe(true);
    const slow = x.slice();
    for (let i = 0; i < n; i++) slow[i] *= s;
    expect(Array.from(quick)).toEqual(Array.from(slow));
  });

  test('clipGradNorm gives the same norm and clipped gradient with the kernels as without', () => {
    const g = random(3 * SQUARES_BLOCK + 1, 1, rng(9));
    const quick = inKernel(g), slow = g.slice();
    const fast = kernelsBackend(k);
    expect(clipGradNorm(quick, 5, fast)).toBe(clipGradNorm(slow, 5));
    expect(Array.from(quick)).toEqual(Array.from(slow));
    expect(Math.sqrt(sumSquares(slow))).toBeCloseTo(5, 5); // it did clip
  });
});

test('arrays outside kernel memory are declined and left untouched', () => {
  const M = new Float32Array([1, 2, 3]);
  expect(pw.addBias(M, 1, 3, inKernel(new Float32Array([1, 1, 1])))).toBe(false);
  expect(Array.from(M)).toEqual([1, 2, 3]);
  expect(pw.softmaxRows(M, 1, 3, null, 1)).toBeNull();
  const g = new Float32Array(4);
  expect(pw.lstmForward(g, k.alloc(1), k.alloc(1), k.alloc(1), k.alloc(1), 1, 1)).toBe(false);
  expect(Array.from(g)).toEqual([0, 0, 0, 0]);
});
