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

/** Orders indices by value, largest first, ties by lower index: the one order every selection here follows. */
const byValue = (p: ArrayLike<number>) => (a: number, b: number): number => p[b] - p[a] || a - b;

/** Indices of the k largest entries, largest first (ties by lower index). */
export function topIndices(p: ArrayLike<number>, k: number): number[] {
  const V = p.length;
  k = Math.max(0, Math.min(k, V));
  if (k > 32) return Array.from({ length: V }, (_, i) => i).sort(byValue(p)).slice(0, k);
  // A few candidates (the story's top-5 list): one pass keeping a short sorted list, not a sort of V.
  const top: number[] = [];
  for (let i = 0; i < V && k > 0; i++) {
    if (top.length === k && !(p[i] > p[top[k - 1]])) continue; // equal values keep the lower index
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && p[i] > p[top[j - 1]]) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return top;
}

/**
 * Zeroes every entry of the distribution p outside the top-k and the top-p nucleus: the likeliest entries
 * (largest first, ties by lower index) up to k of them, stopping at the first whose running sum reaches topP.
 * Only the entries at or above a threshold are sorted — a prefix of the full order, so the same entries are
 * kept as by sorting all of p — and the threshold is lowered until that prefix surely holds the cut.
 */
function keepTop(p: Float64Array, topK: number, topP: number): void {
  const V = p.length;
  const k = topK > 0 ? Math.min(topK, V) : V;
  let max = 0;
  for (let v = 0; v < V; v++) if (p[v] > max) max = p[v];
  for (let t = max / 16; ; t /= 16) {
    if (t < max * 1e-12) t = 0; // a flat tail: take everything
    const cand: number[] = [];
    let sum = 0;
    for (let v = 0; v < V; v++)
      if (p[v] >= t) {
        cand.push(v);
        sum += p[v];
      }
    const all = cand.length === V;
    if (!all && cand.length < k && (topP >= 1 || sum < topP)) continue; // the cut lies further down
    cand.sort(byValue(p));
    let keep = Math.min(k, cand.length);
    let found = false;
    if (topP < 1) {
      let cum = 0;
      for (let i = 0; i < keep && !found; i++) {
        cum += p[cand[i]];
        if (cum >= topP) {
          keep = i + 1;
          found = true;
        }
      }
    }
    if (!found && !all && keep < k) continue; // the k-th entry or the nucleus's end lies past the candidates
    const kept = cand.slice(0, keep).map((v) => p[v]);
    p.fill(0);
    for (let i = 0; i < keep; i++) p[cand[i]] = kept[i];
    return;
  }
}

/**
 * Draws a token from `logits`. `scratch` (length V) is overwritten with the filtered distribution.
 * Selection happens only when top-k or top-p is active, keeping the plain case O(V).
 */
export function sampleToken(logits: Arr, opts: { temperature: number; topK: number; topP: number }, rng: Rng, scratch: Float64Array): number {
  if (opts.temperature === 0) return argmax(logits.subarray(0, scratch.length));
  softmax(logits, opts.temperature, scratch);
  const V = scratch.length;
  if ((opts.topK > 0 && opts.topK < V) || opts.topP < 1) keepTop(scratch, opts.topK, opts.topP);
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
