// The sampler keeps exactly the tokens a full sort of the distribution would keep (top-k, then the top-p
// nucleus, ties by lower index) while sorting only the likeliest few: checked against that full sort, the
// slow obvious reference, on skewed, flat and tied distributions.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { sampleToken, softmax, topIndices } from '../../src/generation/sampler.ts';

/** The reference: sort every index, keep the first k, cut at the first running sum ≥ topP, zero the rest. */
function referenceKeep(p: Float64Array, topK: number, topP: number): Float64Array {
  const V = p.length, out = Float64Array.from(p);
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  let keep = topK > 0 ? Math.min(topK, V) : V;
  if (topP < 1) {
    let cum = 0;
    for (let i = 0; i < keep; i++) {
      cum += p[order[i]];
      if (cum >= topP) {
        keep = i + 1;
        break;
      }
    }
  }
  for (let i = keep; i < V; i++) out[order[i]] = 0;
  return out;
}

/** Logits of several shapes: a language model's skew, near-flat, many exact ties, one dominant token. */
function logitsOf(kind: number, V: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: V }, (_, i) => {
    switch (kind) {
      case 0: return rng.uniform(-1, 1) * 8 - Math.log(1 + i);
      case 1: return rng.uniform(-0.01, 0.01);
      case 2: return Math.floor(rng.uniform(0, 4));
      default: return i === V >> 1 ? 30 : rng.uniform(-1, 1);
    }
  });
}

describe('sampleToken', () => {
  test('keeps the tokens a full sort keeps and draws the token the full sort would, for every setting', () => {
    const rng = new Rng('sampler');
    let cases = 0;
    for (const V of [1, 2, 7, 97, 8000])
      for (let kind = 0; kind < 4; kind++)
        for (const topK of [0, 1, 3, 40])
          for (const topP of [1, 0.5, 0.8, 0.95, 0.99999]) {
            if (topK === 0 && topP === 1) continue;
            const logits = logitsOf(kind, V, rng);
            const temperature = [0.7, 1, 1.5][cases % 3];
            const probs = new Float64Array(V);
            softmax(logits, temperature, probs);
            const want = referenceKeep(probs, topK, topP);
            const scratch = new Float64Array(V);
            const seed = `draw-${cases}`;
            const token = sampleToken(logits, { temperature, topK, topP }, new Rng(seed), scratch);
            const diff = want.findIndex((w, i) => !Object.is(w, scratch[i]));
            expect(diff, `V=${V} kind=${kind} topK=${topK} topP=${topP} T=${temperature}: index ${diff} ${scratch[diff]} vs ${want[diff]}`).toBe(-1);
            // The draw over the same distribution, by the plain rule: the same token.
            let r = new Rng(seed).next() * want.reduce((a, b) => a + b, 0), expected = -1;
            for (let v = 0; v < V && expected < 0; v++) if ((r -= want[v]) < 0 && want[v] > 0) expected = v;
            if (expected < 0) for (let v = V - 1; v >= 0 && expected < 0; v--) if (want[v] > 0) expected = v;
            expect(token).toBe(expected);
            cases++;
          }
    expect(cases).toBe(5 * 4 * 19);
  });
});

describe('topIndices', () => {
  test('gives the k largest, largest first, ties by lower index, as sorting everything does', () => {
    const rng = new Rng('top');
    for (const V of [1, 5, 80, 8000])
      for (const k of [0, 1, 5, 33, 200]) {
        const p = Float64Array.from({ length: V }, () => Math.floor(rng.uniform(0, 50)) / 50);
        const sorted = Array.from({ length: V }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
        expect(topIndices(p, k)).toEqual(sorted.slice(0, Math.min(k, V)));
      }
  });
});
