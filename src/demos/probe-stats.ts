// General statistics for reading a label out of recorded activations: the correlation ratio η² of one
// value with a label, a softmax-regression probe on many values, and a nearest-mean probe on one value.
// Plain numbers in, plain numbers out; the memory-cell probe (memory-cells.ts) is their main user.
import { argmax } from '../generation/sampler.ts';

/** Mean and count of the values of each label. */
export function labelMeans(values: readonly number[], labels: readonly number[]): Map<number, { mean: number; n: number }> {
  const groups = new Map<number, { mean: number; n: number }>();
  values.forEach((v, i) => {
    const g = groups.get(labels[i]) ?? { mean: 0, n: 0 };
    g.mean += v;
    g.n++;
    groups.set(labels[i], g);
  });
  for (const g of groups.values()) g.mean /= g.n;
  return groups;
}

/** η² = between-group variance / total variance of values grouped by label. */
export function correlationRatio(values: number[], labels: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  let total = 0;
  for (const v of values) total += (v - mean) ** 2;
  let between = 0;
  for (const g of labelMeans(values, labels).values()) between += g.n * (g.mean - mean) ** 2;
  return total > 0 ? between / total : 0;
}

/**
 * Softmax regression on standardised features trained by full-batch gradient descent; returns held-out
 * accuracy. Small and deterministic: it only has to show the information is linearly there.
 */
export function linearProbe(train: { x: number[][]; y: number[] }, test: { x: number[][]; y: number[] }, classes: number, steps = 300, lr = 0.5): number {
  const D = train.x[0]?.length ?? 0;
  const mu = new Array(D).fill(0);
  const sd = new Array(D).fill(0);
  for (const r of train.x) r.forEach((v, j) => (mu[j] += v / train.x.length));
  for (const r of train.x) r.forEach((v, j) => (sd[j] += (v - mu[j]) ** 2 / train.x.length));
  const z = (r: number[]) => r.map((v, j) => (v - mu[j]) / (Math.sqrt(sd[j]) + 1e-6));
  const X = train.x.map(z);
  const W = Array.from({ length: classes }, () => new Array(D + 1).fill(0));
  const p = new Array(classes).fill(0);
  for (let s = 0; s < steps; s++) {
    const G = Array.from({ length: classes }, () => new Array(D + 1).fill(0));
    X.forEach((x, i) => {
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let a = W[k][D];
        for (let j = 0; j < D; j++) a += W[k][j] * x[j];
        p[k] = a;
        if (a > max) max = a;
      }
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += (p[k] = Math.exp(p[k] - max));
      for (let k = 0; k < classes; k++) {
        const d = p[k] / sum - (k === train.y[i] ? 1 : 0);
        for (let j = 0; j < D; j++) G[k][j] += d * x[j];
        G[k][D] += d;
      }
    });
    for (let k = 0; k < classes; k++) for (let j = 0; j <= D; j++) W[k][j] -= (lr * G[k][j]) / X.length + lr * 1e-3 * (j < D ? W[k][j] : 0);
  }
  let correct = 0;
  test.x.map(z).forEach((x, i) => {
    const scores = W.map((w) => w.slice(0, D).reduce((a, v, j) => a + v * x[j], w[D]));
    if (argmax(scores) === test.y[i]) correct++;
  });
  return test.x.length ? correct / test.x.length : NaN;
}

/**
 * Held-out accuracy of reading a label from one number by the nearest label mean (means from `train`);
 * test labels never seen in training count as misses.
 */
export function nearestMeanProbe(train: { x: number[]; y: number[] }, test: { x: number[]; y: number[] }): number {
  const means = [...labelMeans(train.x, train.y)];
  let correct = 0;
  test.x.forEach((v, i) => {
    let best = -1, dist = Infinity;
    for (const [label, g] of means) if (Math.abs(v - g.mean) < dist) [best, dist] = [label, Math.abs(v - g.mean)];
    if (best === test.y[i]) correct++;
  });
  return test.x.length ? correct / test.x.length : NaN;
}
