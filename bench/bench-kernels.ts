/**
 * GFLOP/s of each backend and thread count on the products a char-level LSTM training step and sampling make.
 * Run: npx tsx bench/bench-kernels.ts [--quick] [--js] [--threads 1,2,4] [--split] [--recurrence]
 * --split times products around the split threshold on 1 thread and split across the others (every product
 * split), to see from which size splitting pays (DEFAULT_SPLIT_MACS). Each figure is the best of several timed runs.
 * --recurrence times an LSTM pass's recurrence over a training batch (S, M, L) at each thread count, forward and
 * backward: the recurrent product and the cell step as two split calls per time step, and the whole recurrence as
 * one job split by batch rows (Kernels.lstmRecurrence), in turns.
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
  if (process.argv.includes('--recurrence')) {
    await recurrenceSweep(counts, quick ? 10 : 40);
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

/**
 * The recurrence of a forward and a backward pass over T = 64 time steps of a training batch, µs per time step:
 * each step's recurrent product and cell step as two calls (each split on its own), against the whole
 * recurrence as one job split by batch rows (on one thread it declines and the calls run). The two ways alternate
 * pass by pass, so a busy host slows both alike; best and median.
 */
async function recurrenceSweep(counts: number[], passes: number): Promise<void> {
  const T = 64;
  const kernels = counts.map((n) => createWasmKernels(n)!);
  for (const k of kernels) await k.ready;
  const head = (pass: string) => [`${pass}: calls best / median`.padStart(31), `${pass}: one job best / median`.padStart(31)];
  console.log(['config B×H'.padEnd(14), 'threads'.padStart(7), ...head('forward'), ...head('backward')].join(' '));
  for (const [cfg, B, H] of [['S', 32, 128], ['M', 32, 256], ['L', 64, 512]] as const) {
    for (const k of kernels) {
      const made: Float32Array[] = [];
      const fill = (n: number, f: (i: number) => number = () => 0): Float32Array => {
        const a = k.alloc(n);
        for (let i = 0; i < n; i++) a[i] = f(i);
        made.push(a);
        return a;
      };
      const W = fill(4 * H * H, (i) => Math.sin(i) * 0.05);
      const fwd = k.packB!(true, H, 4 * H, W), bwd = k.packB!(false, 4 * H, H, W);
      const Hs = fill((T + 1) * B * H, (i) => Math.cos(i) * 0.3), Cs = fill((T + 1) * B * H), TC = fill(T * B * H);
      const G0 = fill(T * B * 4 * H, (i) => Math.sin(i * 0.7)), G = fill(T * B * 4 * H), dG = fill(T * B * 4 * H);
      const dOut = fill(T * B * H, (i) => Math.cos(i * 0.3) * 0.1), dh = fill(B * H), dc = fill(B * H);
      const row = (a: Float32Array, r: number, n = B * H): Float32Array => a.subarray(r * n, (r + 1) * n);
      const timed = (f: () => void): number => {
        const t0 = performance.now();
        f();
        return ((performance.now() - t0) * 1000) / T;
      };
      const forward = (job: boolean): number => {
        G.set(G0);
        return timed(() => {
          if (job && k.lstmRecurrence!(T, B, H, Hs, fwd, G, Cs, TC)) return;
          for (let t = 0; t < T; t++) {
            const g = row(G, t, 4 * B * H);
            k.gemm(false, true, B, 4 * H, H, row(Hs, t), W, g, true, fwd);
            k.pointwise!.lstmForward(g, row(Cs, t), row(Cs, t + 1), row(TC, t), row(Hs, t + 1), B, H);
          }
        });
      };
      const backward = (job: boolean): number => {
        dh.fill(0);
        dc.fill(0);
        return timed(() => {
          if (job && k.lstmRecurrenceBackward!(T, B, H, G, TC, Cs, dOut, dh, dc, dG, bwd)) return;
          for (let t = T - 1; t >= 0; t--) {
            const d = row(dG, t, 4 * B * H);
            k.pointwise!.lstmBackward(row(G, t, 4 * B * H), row(TC, t), row(Cs, t), row(dOut, t), dh, dc, d, B, H);
            k.gemm(false, false, B, H, 4 * H, d, W, dh, false, bwd);
          }
        });
      };
      const times: number[][] = [[], [], [], []];
      for (let p = 0; p < passes; p++) {
        for (const job of [false, true]) {
          times[job ? 1 : 0].push(forward(job));
          times[job ? 3 : 2].push(backward(job));
        }
      }
      const cell = (a: number[]): string => {
        const sorted = [...a].sort((x, y) => x - y);
        return `${sorted[0].toFixed(0)} / ${sorted[sorted.length >> 1].toFixed(0)}`.padStart(31);
      };
      console.log([`${cfg} ${B}×${H}`.padEnd(14), String(k.threads).padStart(7), ...times.map(cell)].join(' '));
      for (const a of made) k.free(a);
      k.freePacked!(fwd);
      k.freePacked!(bwd);
    }
  }
}

await main();
