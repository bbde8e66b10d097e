// Colour scales fitted to the values on show. A fixed 0–1 scale paints a story whose mean forget gate runs
// from 0.61 to 0.82 in two shades; fitting the colour map to the story's own 5th–95th percentiles spreads
// the same story over the whole map. The legend prints the fitted range, and for gates where it sits on 0–1.
//
// Gates use the sequential map over [lo, hi]. Cell states keep their sign: 0 stays the grey middle of the
// diverging map and each side stretches to its end of the range; a range of one sign uses that half only
// (light = nearest zero), so blue always means negative and red positive.

import { positionBucket, rgbAt, scaleOf, scaleRange, shadeAt, type KindLike, type Rgb } from './colors.ts';

/** fit: 5th–95th percentile of the values shown; range: their min–max; fixed: the kind's absolute range. */
export type ScaleMode = 'fit' | 'range' | 'fixed';
export const SCALE_MODES: readonly ScaleMode[] = ['fit', 'range', 'fixed'];

export const SCALE_MODE_TEXT: Record<ScaleMode, string> = {
  fit: '5th–95th percentile of the story',
  range: 'min–max of the story',
  fixed: 'fixed',
};

export interface ValueScale {
  kind: KindLike;
  mode: ScaleMode;
  lo: number;
  hi: number;
}

// Percentiles come from at most this many values (an even stride through them): a 3,000-token story of
// 256 units is 768,000 values, and the scale is refitted while the story streams.
const MAX_SAMPLE = 50_000;

/** The p-quantile (0–1) of sorted values, linearly interpolated. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * f : sorted[i];
}

function finiteSample(values: Iterable<number | undefined>): Float64Array {
  const all: number[] = [];
  for (const v of values) if (v !== undefined && Number.isFinite(v)) all.push(v);
  const stride = Math.max(1, Math.ceil(all.length / MAX_SAMPLE));
  const out = new Float64Array(Math.ceil(all.length / stride));
  for (let i = 0, j = 0; i < all.length; i += stride) out[j++] = all[i];
  return out.sort();
}

/** A scale for `values` (undefined and non-finite ones are ignored). With no values it falls back to fixed. */
export function fitScale(values: Iterable<number | undefined>, kind: KindLike, mode: ScaleMode = 'fit'): ValueScale {
  const [flo, fhi] = scaleRange(kind);
  if (mode === 'fixed') return { kind, mode, lo: flo, hi: fhi };
  const s = finiteSample(values);
  if (s.length === 0) return { kind, mode, lo: flo, hi: fhi };
  let lo = mode === 'fit' ? quantile(s, 0.05) : s[0];
  let hi = mode === 'fit' ? quantile(s, 0.95) : s[s.length - 1];
  if (hi - lo < 1e-6) {
    // One value (or nearly): a small window around it, so it still gets a colour and a printed range.
    const mid = (lo + hi) / 2;
    const half = Math.max(1e-3, Math.abs(mid) * 1e-3);
    lo = mid - half;
    hi = mid + half;
  }
  return { kind, mode, lo, hi };
}

/** Position of v on the scale, in [0, 1] (clamped); NaN for missing values. */
export function scalePosition(v: number | undefined, sc: ValueScale): number {
  if (v === undefined || !Number.isFinite(v)) return Number.NaN;
  const { lo, hi } = sc;
  const clamp01 = (t: number) => (t < 0 ? 0 : t > 1 ? 1 : t);
  if (scaleOf(sc.kind) !== 'cell') return clamp01((v - lo) / (hi - lo));
  if (lo >= 0) return 0.5 + 0.5 * clamp01((v - lo) / (hi - lo));
  if (hi <= 0) return 0.5 * clamp01((v - lo) / (hi - lo));
  return v < 0 ? 0.5 - 0.5 * clamp01(v / lo) : 0.5 + 0.5 * clamp01(v / hi);
}

/** Colour of v on the scale; grey when missing. */
export function scaleRgb(v: number | undefined, sc: ValueScale): Rgb {
  return rgbAt(scalePosition(v, sc), sc.kind);
}

/** The value at position t of the scale (the inverse of scalePosition), for legends and colour bars. */
export function scaleValueAt(t: number, sc: ValueScale): number {
  const { lo, hi } = sc;
  if (scaleOf(sc.kind) !== 'cell') return lo + t * (hi - lo);
  if (lo >= 0) return lo + Math.max(0, 2 * t - 1) * (hi - lo);
  if (hi <= 0) return lo + Math.min(1, 2 * t) * (hi - lo);
  return t < 0.5 ? lo * (1 - 2 * t) : hi * (2 * t - 1);
}

/** Positions [from, to] of the scale's map that values can reach: a cell range of one sign uses one half. */
export function usedPositions(sc: ValueScale): [number, number] {
  if (scaleOf(sc.kind) !== 'cell') return [0, 1];
  if (sc.lo >= 0) return [0.5, 1];
  if (sc.hi <= 0) return [0, 0.5];
  return [0, 1];
}

/** The colour buckets a legend shows: `count` equal steps over the part of the map in use. */
export const LEGEND_BUCKETS = 10;

/** Bucket (0 … count-1) of v among `count` equal steps of the used part of the map; -1 when missing. */
export function scaleBucket(v: number | undefined, sc: ValueScale, count = LEGEND_BUCKETS): number {
  const t = scalePosition(v, sc);
  if (Number.isNaN(t)) return -1;
  const [a, b] = usedPositions(sc);
  return positionBucket((t - a) / (b - a), count);
}

/** How many values land in each legend bucket (missing values are not counted). */
export function bucketHistogram(values: Iterable<number | undefined>, sc: ValueScale, count = LEGEND_BUCKETS): number[] {
  const h = new Array<number>(count).fill(0);
  for (const v of values) {
    const b = scaleBucket(v, sc, count);
    if (b >= 0) h[b]++;
  }
  return h;
}

const SHADE_STEPS = 5;

/** No-colour shade of v: five equal steps of the used part of the map, ' ' ░ ▒ ▓ █; ' ' when missing too. */
export function scaleShade(v: number | undefined, sc: ValueScale): string {
  const b = scaleBucket(v, sc, SHADE_STEPS);
  return b < 0 ? ' ' : shadeAt((b + 0.5) / SHADE_STEPS);
}

/** Short number for legends: 3 significant digits, no exponent for the ranges gates and cells have. */
export function formatLevel(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return v.toFixed(digits).replace(/^-0(\.0+)?$/, '0');
}

/** "0.61–0.82 (5th–95th percentile of the story)". */
export function scaleRangeText(sc: ValueScale): string {
  return `${formatLevel(sc.lo)} to ${formatLevel(sc.hi)} (${SCALE_MODE_TEXT[sc.mode]})`;
}
