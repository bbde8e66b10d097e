// Colour scales for gate activity, shared by the PNG/SVG pictures, the terminal views and the Discord bot,
// so one value looks the same everywhere.
//
// Gates (forget, input, output) live in [0, 1]: a viridis-like sequential map, dark purple/blue = 0
// (forgetting / ignoring / hiding) → teal → yellow = 1 (remembering / writing / showing). Viridis is
// perceptually uniform and its lightness rises monotonically, so it survives greyscale and colour blindness.
// Cell states are signed: a diverging blue (-1) → light grey (0) → red (+1) map. Cell values beyond ±1
// are clamped (callers may pass tanh(c) if they want the squashed view).

import type { GateKind } from '../generation/events.ts';

export type Rgb = [number, number, number];

/** Which scale to use: 'gate' for [0,1] gate values, 'cell' for signed cell states in [-1,1]. */
export type ScaleKind = 'gate' | 'cell';
/** Anything naming a scale: a scale or a gate kind ('cell' → diverging, the three gates → sequential). */
export type KindLike = ScaleKind | GateKind;

export function scaleOf(kind: KindLike = 'gate'): ScaleKind {
  return kind === 'cell' ? 'cell' : 'gate';
}

/** Colour of a value that is NaN or infinite: a flat grey that belongs to neither scale. */
export const MISSING_RGB: Rgb = [128, 128, 128];

// Viridis sampled at 9 evenly spaced points (matplotlib's table); linear interpolation between them stays
// within a few units of the full 256-entry map.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

// ColorBrewer RdBu (reversed so negative is blue), 7 classes, evenly spaced over [-1, 1].
const BLUE_GREY_RED: Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [240, 240, 240],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];

function interpolate(stops: Rgb[], t: number): Rgb {
  const pos = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Position of a value on its scale, in [0, 1] (cell: -1 → 0, 0 → 0.5, +1 → 1). NaN stays NaN. */
export function unitPosition(v: number, kind: KindLike = 'gate'): number {
  if (!Number.isFinite(v)) return Number.NaN;
  return scaleOf(kind) === 'cell' ? clamp01((v + 1) / 2) : clamp01(v);
}

/** Sequential colour of a gate value in [0, 1] (clamped); grey for NaN. */
export function gateRgb(v: number): Rgb {
  if (!Number.isFinite(v)) return [...MISSING_RGB];
  return interpolate(VIRIDIS, clamp01(v));
}

/** Diverging colour of a cell-state value in [-1, 1] (clamped); grey for NaN. */
export function cellRgb(v: number): Rgb {
  if (!Number.isFinite(v)) return [...MISSING_RGB];
  return interpolate(BLUE_GREY_RED, clamp01((v + 1) / 2));
}

export function valueRgb(v: number, kind: KindLike = 'gate'): Rgb {
  return scaleOf(kind) === 'cell' ? cellRgb(v) : gateRgb(v);
}

/**
 * Colour at a position t ∈ [0, 1] along a kind's map (clamped; NaN → grey). A scale fitted to the data
 * (gate-scale.ts) turns a value into a position first, so the same maps serve fixed and fitted ranges.
 */
export function rgbAt(t: number, kind: KindLike = 'gate'): Rgb {
  if (!Number.isFinite(t)) return [...MISSING_RGB];
  return interpolate(scaleOf(kind) === 'cell' ? BLUE_GREY_RED : VIRIDIS, clamp01(t));
}

export function rgbHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** Relative luminance (sRGB, WCAG formula) in [0, 1]. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever reads better on the given background. */
export function contrastingText(bg: Rgb): Rgb {
  // 0.179 is the luminance where black and white text have equal contrast ratios.
  return luminance(bg) > 0.179 ? [0, 0, 0] : [255, 255, 255];
}

/** One bucket of a discrete scale: values in [from, to) (the last bucket includes `to`). */
export interface LegendBucket<S> {
  from: number;
  to: number;
  symbol: S;
}

// Equal-width buckets over the scale's range; index of v clamped into the bucket list.
function bucketIndex(v: number, count: number, kind: KindLike): number {
  return positionBucket(unitPosition(v, kind), count);
}

/** Which of `count` equal buckets a position t ∈ [0, 1] falls in (clamped); -1 for NaN. */
export function positionBucket(t: number, count: number): number {
  if (Number.isNaN(t)) return -1;
  return Math.max(0, Math.min(count - 1, Math.floor(t * count)));
}

function buckets<S>(symbols: readonly S[], kind: KindLike): LegendBucket<S>[] {
  const [lo, hi] = scaleOf(kind) === 'cell' ? [-1, 1] : [0, 1];
  const width = (hi - lo) / symbols.length;
  // Rounded so printed legends read 0.2, not 0.20000000000000004.
  const at = (i: number) => Math.round((lo + i * width) * 1e9) / 1e9;
  return symbols.map((symbol, i) => ({ from: at(i), to: at(i + 1), symbol }));
}

const SHADES = [' ', '░', '▒', '▓', '█'] as const;

/**
 * A no-colour shade for a value: ' ' (0) ░ ▒ ▓ █ (1), five equal buckets. NaN → '?'.
 * For cell states the buckets run from -1 (' ') to +1 ('█').
 */
export function shadeChar(v: number, kind: KindLike = 'gate'): string {
  const i = bucketIndex(v, SHADES.length, kind);
  return i < 0 ? '?' : SHADES[i]!;
}

/** Shade character at a position t ∈ [0, 1] (for fitted scales); NaN → '?'. */
export function shadeAt(t: number): string {
  const i = positionBucket(t, SHADES.length);
  return i < 0 ? '?' : SHADES[i]!;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** A digit '0'–'9' for a value: '7' means [0.7, 0.8) for gates; cell states map -1..1 onto 0..9. NaN → '?'. */
export function digitShade(v: number, kind: KindLike = 'gate'): string {
  const i = bucketIndex(v, DIGITS.length, kind);
  return i < 0 ? '?' : DIGITS[i]!;
}

/**
 * Discord renders ```ansi code blocks with only 8 foreground colours (30 grey, 31 red, 32 green, 33 yellow,
 * 34 blue, 35 pink, 36 cyan, 37 white). Gates use five of them in viridis order, dark to bright:
 * pink(purple) → blue → cyan → green → yellow, so low = forgetting, yellow = remembering, as in the PNG.
 * Cell states use blue → cyan → white → yellow → red, mirroring the diverging map (white = near zero).
 * Grey (30) is kept for NaN.
 */
export const DISCORD_GATE_CODES = [35, 34, 36, 32, 33] as const;
export const DISCORD_CELL_CODES = [34, 36, 37, 33, 31] as const;
export const DISCORD_MISSING_CODE = 30;

function discordCodes(kind: KindLike): readonly number[] {
  return scaleOf(kind) === 'cell' ? DISCORD_CELL_CODES : DISCORD_GATE_CODES;
}

/** Discord ANSI foreground code (30–37) for a value. */
export function discordAnsi(v: number, kind: KindLike = 'gate'): number {
  const codes = discordCodes(kind);
  const i = bucketIndex(v, codes.length, kind);
  return i < 0 ? DISCORD_MISSING_CODE : codes[i]!;
}

/** Discord ANSI foreground code at a position t ∈ [0, 1] of a kind's map (for fitted scales). */
export function discordAt(t: number, kind: KindLike = 'gate'): number {
  const codes = discordCodes(kind);
  const i = positionBucket(t, codes.length);
  return i < 0 ? DISCORD_MISSING_CODE : codes[i]!;
}

export function discordLegend(kind: KindLike = 'gate'): LegendBucket<number>[] {
  return buckets(discordCodes(kind), kind);
}

/** What the low and high ends of each scale mean, for legends and colour bars. */
export function scaleWords(kind: KindLike = 'gate'): { low: string; high: string } {
  switch (kind) {
    case 'forget':
    case 'gate':
      return { low: 'forgetting', high: 'remembering' };
    case 'input':
      return { low: 'ignoring input', high: 'writing input' };
    case 'output':
      return { low: 'hiding cell', high: 'showing cell' };
    case 'cell':
      return { low: 'negative', high: 'positive' };
  }
}

/** Numeric range of a scale. */
export function scaleRange(kind: KindLike = 'gate'): [number, number] {
  return scaleOf(kind) === 'cell' ? [-1, 1] : [0, 1];
}
