/**
 * Nanoseconds per element of each element-wise kernel against the engine's own JS loop, on the shapes of the
 * M training workload (2×256 LSTM, batch 32, 64 steps, V = 80). Run: npx tsx bench/bench-pointwise.ts
 * The machine is shared, so each figure is the best of several timed runs.
 */
import { f32LoopBackend, fastBackend, type Arr, type Backend } from '../src/engine/backend.ts';
import { addBias, addRowSums } from '../src/engine/cells/layer.ts';
import { softmaxCrossEntropy } from '../src/engine/model.ts';
import { Adam } from '../src/training/optimizer.ts';

const B = 32, H = 256, T = 64, V = 80, PARAMS = 1_350_000;

function best(fn: () => void, elements: number): number {
  fn();
  let bestNs = Infinity;
  for (let run = 0; run < 5; run++) {
    const reps = 20;
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    bestNs = Math.min(bestNs, ((performance.now() - t0) * 1e6) / (reps * elements));
  }
  return bestNs;
}

function filled(backend: Backend, n: number, spread: number): Arr {
  const a = backend.alloc(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.7) * spread;
  return a;
}

/** The workloads, written against a backend so the same code runs the JS loops and the kernels. */
function cases(b: Backend): Array<[string, number, () => void]> {
  const g0 = filled(b, 4 * B * H, 4), g = b.alloc(4 * B * H), c = filled(b, 2 * B * H, 1), tc = b.alloc(B * H), h = b.alloc(B * H);
  const dG = b.alloc(4 * B * H), dOut = filled(b, B * H, 1), dh = filled(b, B * H, 1), dc0 = filled(b, B * H, 1), dc = b.alloc(B * H);
  const M = filled(b, T * B * 4 * H, 1), bias = filled(b, 4 * H, 0.1), sums = b.alloc(4 * H);
  const logits = filled(b, T * B * V, 5), grad = b.alloc(T * B * V);
  const targets = Int32Array.from({ length: T * B }, (_, i) => (i * 7) % V);
  const p = filled(b, PARAMS, 0.1), pg = filled(b, PARAMS, 0.01), adam = new Adam(PARAMS, b);
  const lstmFwdLoop = (): void => {
    g.set(g0);
    if (b.lstmForward?.(g, c.subarray(0, B * H), c.subarray(B * H), tc, h, B, H)) return;
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    for (let r = 0; r < B; r++) {
      for (let j = 0; j < H; j++) {
        const o = r * 4 * H;
        const i = sig(g[o + j]), f = sig(g[o + H + j]), gg = Math.tanh(g[o + 2 * H + j]), og = sig(g[o + 3 * H + j]);
        g[o + j] = i; g[o + H + j] = f; g[o + 2 * H + j] = gg; g[o + 3 * H + j] = og;
        const cn = f * c[r * H + j] + i * gg;
        c[B * H + r * H + j] = cn;
        tc[r * H + j] = Math.tanh(cn);
        h[r * H + j] = og * tc[r * H + j];
      }
    }
  };
  return [
    ['LSTM step forward (B·H)', B * H, lstmFwdLoop],
    ['LSTM step backward (B·H)', B * H, () => {
      dc.set(dc0);
      if (b.lstmBackward?.(g0, tc, c.subarray(0, B * H), dOut, dh, dc, dG, B, H)) return;
      for (let r = 0; r < B * H; r++) {
        const gb = Math.floor(r / H) * 4 * H + (r % H);
        const i = g0[gb], f = g0[gb + H], gg = g0[gb + 2 * H], o = g0[gb + 3 * H], t = tc[r];
        const dhv = dOut[r] + dh[r];
        const dcv = dc[r] + dhv * o * (1 - t * t);
        dG[gb] = dcv * gg * i * (1 - i);
        dG[gb + H] = dcv * c[r] * f * (1 - f);
        dG[gb + 2 * H] = dcv * i * (1 - gg * gg);
        dG[gb + 3 * H] = dhv * t * o * (1 - o);
        dc[r] = dcv * f;
      }
    }],
    ['bias add (T·B × 4H)', M.length, () => addBias(M, T * B, 4 * H, bias, b)],
    ['bias row sums (T·B × 4H)', M.length, () => addRowSums(M, T * B, 4 * H, sums, b)],
    ['softmax cross-entropy (T·B × V)', logits.length, () => void softmaxCrossEntropy(logits, targets, T * B, V, grad, 1 / (T * B), b)],
    ['Adam (all parameters)', PARAMS, () => adam.step(p, pg, 1e-9)],
  ];
}

async function main(): Promise<void> {
  const loop = cases(f32LoopBackend);
  const fast = cases(await fastBackend());
  console.log('kernel                              JS loop ns/elem   WASM ns/elem   speed-up');
  for (let i = 0; i < loop.length; i++) {
    const [name, n, fnLoop] = loop[i];
    const js = best(fnLoop, n);
    const wasm = best(fast[i][2], n);
    console.log(`${name.padEnd(36)}${js.toFixed(2).padStart(15)}${wasm.toFixed(2).padStart(15)}${(js / wasm).toFixed(1).padStart(10)}×`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
