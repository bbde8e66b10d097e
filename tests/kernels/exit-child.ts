// Child process for threads.test.ts: starts N-thread kernels, splits products, then simply returns.
// The process must exit by itself (helpers are unref'd); a hanging helper would keep it alive.
import { createWasmKernels } from '../../src/engine/kernels/wasm-kernels.ts';

const n = Number(process.argv[2] ?? 4);
const k = createWasmKernels(n, { adaptive: false })!;
await k.ready;
const A = k.alloc(256 * 256).fill(1), C = k.alloc(256 * 256);
for (let i = 0; i < 20; i++) k.gemm(false, false, 256, 256, 256, A, A, C, false);
process.stdout.write(JSON.stringify({ threads: k.threads, splitJobs: k.stats.splitJobs }) + '\n');
