// Text charts for the training dashboard: a block sparkline and a braille line chart (2×4 dots per cell).

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Resamples a series to `n` points by averaging the values that fall in each bucket. */
export function resample(values: number[], n: number): number[] {
  if (values.length <= n) return values;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    let s = 0;
    for (let j = from; j < to; j++) s += values[j];
    out.push(s / (to - from));
  }
  return out;
}

function range(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** One character per point, at most `width` characters; the lowest value gets ▁, the highest █. */
export function sparkline(values: number[], width: number): string {
  const pts = resample(values, Math.max(1, width));
  const [lo, hi] = range(pts);
  return pts
    .map((v) => (Number.isFinite(v) ? BLOCKS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1)) : 0] : ' '))
    .join('');
}

// Braille dot bits by [column][row-from-top] within a cell.
const DOT = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

/**
 * A line chart `height` rows by at most `width` columns. Each column of dots is one point; consecutive
 * points are joined vertically so steep drops read as a line, not scattered dots.
 */
export function brailleChart(values: number[], width: number, height: number): string[] {
  const cols = Math.max(1, width) * 2;
  const rows = Math.max(1, height) * 4;
  const pts = resample(values, cols);
  const [lo, hi] = range(pts);
  const y = (v: number) => (hi > lo ? Math.round(((hi - v) / (hi - lo)) * (rows - 1)) : rows - 1);
  const cells = Array.from({ length: height }, () => new Array<number>(Math.ceil(pts.length / 2)).fill(0));
  let prev: number | undefined;
  pts.forEach((v, x) => {
    if (!Number.isFinite(v)) {
      prev = undefined;
      return;
    }
    const cur = y(v);
    const [a, b] = prev === undefined ? [cur, cur] : [Math.min(prev, cur), Math.max(prev, cur)];
    for (let r = a; r <= b; r++) cells[Math.floor(r / 4)][Math.floor(x / 2)] |= DOT[x % 2][r % 4];
    prev = cur;
  });
  return cells.map((row) => row.map((bits) => String.fromCharCode(0x2800 + bits)).join(''));
}
