import type { Kernels } from './index.ts';
export function createWasmKernels(_threads: number): Kernels | null {
  return null;
}
