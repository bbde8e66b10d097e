/**
 * GFLOP/s of each backend and thread count on the products a char-level LSTM training step and sampling make.
 * Run: npx tsx bench/bench-kernels.ts [--quick] [--js] [--threads 1,2,4] [--split]
 * --split times products around the split threshold on 1 thread and split across the others (every product
 * split), to see from which size splitting pays (DEFAULT_SPLIT_MACS). Each figure is the best of several timed runs.
 */
import { availableParallelism, loadavg } from 'node:os';
import { getKernels, jsKernels, kernelsReady, type Kernels } from '../src/engine/kernels/index.ts';
import { createWasmKernels, DEFAULT_SPLIT_MACS, type WasmKernels } from '../src/engine/kernels/wasm-kernels.ts';

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
  const at = process.argv.indexOf('--threads');
  const counts = at > 0 ? process.argv[at + 1].split(',').map(Number) : [1, 2];
  backends.push(...counts.map((threads) => getKernels({ threads })));
  for (const k of backends) await kernelsReady(k);
  console.log(`${availableParallelism()} logical CPUs, load average ${loadavg()[0].toFixed(2)} (figures from a busy machine are not trustworthy)`);
  if (process.argv.includes('--split')) {
    await splitSweep(counts.filter((n) => n > 1), minSeconds, rounds);
    process.exit(0);
  }

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

/**
 * Products from batch-1 sampling up to small training batches: µs per product on one thread, and with every
 * product split across n threads. Splitting pays where the second figure is lower.
 */
async function splitSweep(counts: number[], minSeconds: number, rounds: number): Promise<void> {
  const one = getKernels({ threads: 1 });
  const split = counts.map((n) => createWasmKernels(n, { splitMacs: 0, adaptive: false })!);
  for (const k of split) await k.ready;
  const sizes: Shape[] = [];
  for (const [M, N, K] of [[1, 80, 256], [1, 1024, 32], [1, 512, 128], [1, 1024, 128], [1, 1024, 256], [1, 2048, 512], [4, 1024, 256], [8, 512, 128], [8, 1024, 256], [32, 512, 128], [32, 1024, 256]]) {
    sizes.push({ name: '', tA: false, tB: true, M, N, K });
  }
  console.log(`split threshold now: ${DEFAULT_SPLIT_MACS} multiply-adds`);
  console.log(['M×N×K'.padEnd(16), 'MACs'.padStart(9), '1 thread µs'.padStart(12), ...counts.map((n) => `${n} split µs`.padStart(12))].join(' '));
  for (const s of sizes) {
    const cells = [one, ...split].map((k) => {
      const [A, B, C] = operands(k, s);
      return (time(() => k.gemm(s.tA, s.tB, s.M, s.N, s.K, A, B, C, false), minSeconds, rounds) * 1e6).toFixed(1).padStart(12);
    });
    console.log([`${s.M}×${s.N}×${s.K}`.padEnd(16), String(s.M * s.N * s.K).padStart(9), ...cells].join(' '));
  }
}

await main();
