// Optimizers and gradient clipping as single loops over the flat parameter and gradient buffers. The
// backend's kernels, when given and able, compute the same bits (and may split the work across threads).
import type { Arr, Backend } from '../engine/backend.ts';
import type { OptimizerState } from '../engine/checkpoint.ts';
import { SQUARES_BLOCK } from '../engine/kernels/pointwise.ts';

/**
 * Σ x² in doubles, in an order that does not depend on how many threads add it up: blocks of SQUARES_BLOCK
 * elements, each summed in four lanes (element i into lane i mod 4, then (l0 + l1) + (l2 + l3)), the
 * blocks' sums added in order.
 */
export function sumSquares(x: Arr, backend?: Backend): number {
  const fast = backend?.sumSquares?.(x);
  if (fast != null) return fast;
  let total = 0;
  const l = [0, 0, 0, 0];
  for (let b = 0; b < x.length; b += SQUARES_BLOCK) {
    l.fill(0);
    const end = Math.min(x.length, b + SQUARES_BLOCK);
    for (let i = b; i < end; i++) l[(i - b) & 3] += x[i] * x[i];
    total += l[0] + l[1] + (l[2] + l[3]);
  }
  return total;
}

/** Scales gradients so their global L2 norm is at most maxNorm (PyTorch clip_grad_norm_). Returns the norm before clipping. */
export function clipGradNorm(grad: Arr, maxNorm: number, backend?: Backend): number {
  const norm = Math.sqrt(sumSquares(grad, backend));
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    if (!backend?.scaleInPlace?.(grad, s)) for (let i = 0; i < grad.length; i++) grad[i] *= s;
  }
  return norm;
}

export interface Optimizer {
  step(params: Arr, grad: Arr, lr: number): void;
  state(): OptimizerState | undefined;
}

/** Adam (Kingma & Ba) with PyTorch's defaults β1=0.9, β2=0.999, ε=1e-8 and bias correction. */
export class Adam implements Optimizer {
  private m: Arr;
  private v: Arr;
  private t: number;
  constructor(n: number, backend: Backend, restore?: OptimizerState) {
    this.m = restore?.m ?? backend.alloc(n);
    this.v = restore?.v ?? backend.alloc(n);
    this.t = restore?.t ?? 0;
    this.backend = backend;
    // Restored Float32 moments move into kernel memory so the kernel below can run on them (same values).
    if (restore && backend.dtype === 'f32' && restore.m instanceof Float32Array && restore.v instanceof Float32Array) {
      this.m = backend.alloc(n);
      this.m.set(restore.m.subarray(0, n));
      this.v = backend.alloc(n);
      this.v.set(restore.v.subarray(0, n));
    }
  }
  private readonly backend: Backend;
  step(p: Arr, g: Arr, lr: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    this.t += 1;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const { m, v } = this;
    // The kernel evaluates this very expression in doubles: same bits, so resumed runs match either way.
    if (this.backend.adam?.(p, g, m, v, lr, b1, b2, c1, c2, 1e-8)) return;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
    }
  }
  state(): OptimizerState {
    return { m: this.m, v: this.v, t: this.t };
  }
}

export class Sgd implements Optimizer {
  step(p: Arr, g: Arr, lr: number): void {
    for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
  }
  state(): undefined {
    return undefined;
  }
}
