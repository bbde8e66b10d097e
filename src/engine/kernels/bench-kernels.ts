/**
 * GFLOP/s of each backend and thread count on the products a char-level LSTM training step and sampling make.
 * Run: npx tsx src/engine/kernels/bench-kernels.ts [--quick] [--js]
 * The machine is shared, so each figure is the best of several timed runs.
 */
import { getKernels, jsKernels, kernelsReady, type Kernels } from './index.ts';
import type { WasmKernels } from './wasm-kernels.ts';

interface Shape { name: string; tA: boolean; tB: boolean; M: number; N: number; K: number }

function lstmShapes(cfg: string, H: number, D: number, B: number, T: number, V: number): Shape[] {
  const TB = T * B;
  return [
    { name: `${cfg} input projection (layer 2)`, tA: false, tB: true, M: TB, N: 4 * H, K: H },
    { name: `${cfg} input projection (embedding)`, tA: false, tB: true, M: TB, N: 4 * H, K: D },
    { name: `${cfg} recurrent step`, tA: false, tB: false, M: B, N: 4 * H, K: H },
    { name: `${cfg} recurrent step (W^T)`, tA: false, tB: true, M: B, N: 4 * H, K: H },
    { name: `${cfg} dWhh = dG^T·Hprev`, tA: true, tB: false, M: 4 * H, N: H, K: TB },
    { name: `${cfg} dX = dG·W`, tA: false, tB: false, M: TB, N: H, K: 4 * H },
    { name: `${cfg} dH step = dG·Whh`, tA: false, tB: false, M: B, N: H, K: 4 * H },
    { name: `${cfg} decoder`, tA: false, tB: true, M: TB, N: V, K: H },
    { name: `${cfg} dWdec = dY^T·H`, tA: true, tB: false, M: V, N: H, K: TB },
  ];
}

const matvec: Shape[] = [
  { name: 'M matvec Whh·h (batch 1)', tA: false, tB: true, M: 1, N: 1024, K: 256 },
  { name: 'M matvec h·W (batch 1)', tA: false, tB: false, M: 1, N: 1024, K: 256 },
];

/** One sampled character of config M (2×256, embedding 32, vocab 80) is these matrix-vector products. */
const charProducts: Shape[] = [
  { name: 'Wih1·x', tA: false, tB: true, M: 1, N: 1024, K: 32 },
  { name: 'Whh1·h', tA: false, tB: true, M: 1, N: 1024, K: 256 },
  { name: 'Wih2·h', tA: false, tB: true, M: 1, N: 1024, K: 256 },
  { name: 'Whh2·h', tA: false, tB: true, M: 1, N: 1024, K: 256 },
  { name: 'Wdec·h', tA: false, tB: true, M: 1, N: 80, K: 256 },
];

function operands(k: Kernels, s: Shape): [Float32Array, Float32Array, Float32Array] {
  const A = k.alloc(s.M * s.K), B = k.alloc(s.K * s.N), C = k.alloc(s.M * s.N);
  for (let i = 0; i < A.length; i++) A[i] = Math.sin(i) * 0.1;
  for (let i = 0; i < B.length; i++) B[i] = Math.cos(i) * 0.1;
  return [A, B, C];
}

/** Best seconds per call over `rounds` timed batches of at least `minSeconds` each. */
function time(fn: () => void, minSeconds: number, rounds: number): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let dt = 0;
    do { fn(); n++; dt = (performance.now() - t0) / 1000; } while (dt < minSeconds);
    best = Math.min(best, dt / n);
  }
  return best;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const withJs = process.argv.includes('--js');
  const minSeconds = quick ? 0.05 : 0.2;
  const rounds = quick ? 2 : 5;
  const backends: Kernels[] = [];
  if (withJs) backends.push(jsKernels());
  backends.push(getKernels({ threads: 1 }), getKernels({ threads: 2 }));
  for (const k of backends) await kernelsReady(k);

  const shapes = [...lstmShapes('M', 256, 32, 32, 64, 80), ...lstmShapes('L', 512, 32, 64, 100, 80), ...matvec];
  const label = (k: Kernels): string => `${k.name}×${k.threads}`;
  console.log(['shape'.padEnd(36), 'M×N×K'.padEnd(16), ...backends.map((k) => label(k).padStart(14))].join(' '));
  for (const s of shapes) {
    const cells: string[] = [];
    for (const k of backends) {
      if (k.name === 'js' && s.M * s.N * s.K > 2e8) { cells.push('-'.padStart(14)); continue; }
      const [A, B, C] = operands(k, s);
      const sec = time(() => k.gemm(s.tA, s.tB, s.M, s.N, s.K, A, B, C, false), minSeconds, rounds);
      cells.push(`${((2 * s.M * s.N * s.K) / sec / 1e9).toFixed(1)} GF/s`.padStart(14));
    }
    const dims = `${s.M}×${s.N}×${s.K}${s.tA ? ' tA' : ''}${s.tB ? ' tB' : ''}`;
    console.log([s.name.padEnd(36), dims.padEnd(16), ...cells].join(' '));
  }

  console.log('\nsampling config M at batch 1 (one character = the products below):');
  for (const k of backends) {
    const ops = charProducts.map((s) => ({ s, ops: operands(k, s) }));
    const sec = time(() => {
      for (const { s, ops: [A, B, C] } of ops) k.gemm(s.tA, s.tB, s.M, s.N, s.K, A, B, C, false);
    }, minSeconds, rounds);
    const macs = charProducts.reduce((t, s) => t + s.M * s.N * s.K, 0);
    console.log(`${label(k).padEnd(14)} ${(sec * 1e6).toFixed(1)} µs/char  ${(1 / sec).toFixed(0)} chars/s  ` +
      `${((2 * macs) / sec / 1e9).toFixed(1)} GF/s`);
  }
  for (const k of backends) {
    const stats = (k as Partial<WasmKernels>).stats;
    if (k.threads > 1 && stats) {
      console.log(`\n${label(k)}: ${stats.splitJobs} products split, worker computed ${stats.workerChunks} chunks ` +
        '(products stay on one thread while the second core is busy)');
    }
  }
  process.exit(0);
}

await main();
