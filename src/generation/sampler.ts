// Choosing the next token: temperature → top-k → top-p → draw (temperature 0 is argmax).
import type { Arr } from '../engine/backend.ts';
import type { Rng } from '../engine/rng.ts';

/** Softmax of logits/temperature into `out` (length V). */
export function softmax(logits: Arr, temperature: number, out: Float64Array): void {
  const V = out.length;
  let max = -Infinity;
  for (let v = 0; v < V; v++) if (logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < V; v++) {
    out[v] = Math.exp((logits[v] - max) / temperature);
    sum += out[v];
  }
  for (let v = 0; v < V; v++) out[v] /= sum;
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Indices of the k largest entries, largest first (ties by lower index). */
export function topIndices(p: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: p.length }, (_, i) => i);
  idx.sort((a, b) => p[b] - p[a] || a - b);
  return idx.slice(0, k);
}

/**
 * Draws a token from `logits`. `scratch` (length V) is overwritten with the filtered distribution.
 * Sorting happens only when top-k or top-p is active, keeping the plain case O(V).
 */
export function sampleToken(logits: Arr, opts: { temperature: number; topK: number; topP: number }, rng: Rng, scratch: Float64Array): number {
  if (opts.temperature === 0) return argmax(logits.subarray(0, scratch.length));
  softmax(logits, opts.temperature, scratch);
  const V = scratch.length;
  if ((opts.topK > 0 && opts.topK < V) || opts.topP < 1) {
    const order = topIndices(scratch, V);
    let keep = opts.topK > 0 ? Math.min(opts.topK, V) : V;
    if (opts.topP < 1) {
      let cum = 0;
      for (let i = 0; i < keep; i++) {
        cum += scratch[order[i]];
        if (cum >= opts.topP) {
          keep = i + 1;
          break;
        }
      }
    }
    for (let i = keep; i < V; i++) scratch[order[i]] = 0;
  }
  let total = 0;
  for (let v = 0; v < V; v++) total += scratch[v];
  let r = rng.next() * total;
  for (let v = 0; v < V; v++) {
    r -= scratch[v];
    if (r < 0 && scratch[v] > 0) return v;
  }
  for (let v = V - 1; v >= 0; v--) if (scratch[v] > 0) return v; // rounding left r ≥ 0
  return 0;
}
