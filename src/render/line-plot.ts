// Line plots for the demos and training curves (loss against step, often on a log scale): axes with nice
// ticks, a legend, one colour and one marker shape per series so they stay apart in greyscale too.

import { UserError } from '../errors.ts';
import type { Rgb } from './colors.ts';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font.ts';
import type { Rect } from './raster.ts';
import { rasterizeScene } from './scene-raster.ts';
import type { MarkerShape, Picture, Scene, Shape } from './scene.ts';
import { renderSvg } from './svg.ts';
import { fit } from './token-label.ts';

export interface LinePlotInput {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Array<{ name: string; points: Array<[number, number]> }>;
  /** Logarithmic y axis (ticks at powers of ten); points with y ≤ 0 are left out. */
  logY?: boolean;
  yMin?: number;
  yMax?: number;
}

export const PLOT_WIDTH = 1000;
export const PLOT_HEIGHT = 620;
/** Series with more points than this are drawn as lines only; markers would merge into a smear. */
export const MAX_MARKED_POINTS = 80;

// Matplotlib's tab10: distinct hues chosen to stay apart for most colour-blind readers.
export const SERIES_COLORS: Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];
const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

const INK: Rgb = [34, 34, 34];
const GRID: Rgb = [225, 225, 225];
const MINOR_GRID: Rgb = [242, 242, 242];
const MUTED: Rgb = [110, 110, 110];

interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  minor: number[];
  label: (v: number) => string;
  /** Value → position in [0, 1] along the axis. */
  frac: (v: number) => number;
}

/** Tick step of 1, 2 or 5 × 10^k giving about `target` intervals over `span`. */
export function niceStep(span: number, target = 6): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function formatLinear(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  // Very large or tiny values: mantissa digits enough to tell neighbouring ticks apart.
  if (v !== 0 && (Math.abs(v) >= 1e6 || decimals > 5)) {
    const digits = Math.max(0, Math.floor(Math.log10(Math.abs(v))) - Math.floor(Math.log10(step) + 1e-9));
    return v.toExponential(Math.min(digits, 6)).replace('e+', 'e');
  }
  return v.toFixed(decimals);
}

/** 10^e as text: plain decimals from 0.01 to 1000, otherwise 1e-5 style. */
export function formatPowerOfTen(e: number): string {
  if (e >= -2 && e <= 3) return String(10 ** e).replace(/(\.\d*?[1-9])0+$/, '$1');
  return `1e${e}`;
}

function linearAxis(lo: number, hi: number, fixedLo: boolean, fixedHi: boolean): Axis {
  if (hi - lo <= 0) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo);
  if (!fixedLo) lo = Math.floor(lo / step + 1e-9) * step;
  if (!fixedHi) hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return { lo, hi, ticks, minor: [], label: (v) => formatLinear(v, step), frac: (v) => (v - lo) / (hi - lo) };
}

function logAxis(lo: number, hi: number, fixedLo: boolean, fixedHi: boolean): Axis {
  let eLo = Math.log10(lo);
  let eHi = Math.log10(hi);
  if (!fixedLo) eLo = Math.floor(eLo + 1e-9);
  if (!fixedHi) eHi = Math.ceil(eHi - 1e-9);
  if (eHi - eLo <= 0) {
    eLo -= fixedLo ? 0 : 1;
    eHi += 1;
  }
  const decades = Math.ceil(eHi) - Math.floor(eLo);
  const every = Math.max(1, Math.ceil(decades / 8));
  const ticks: number[] = [];
  const minor: number[] = [];
  for (let e = Math.ceil(eLo - 1e-9); e <= eHi + 1e-9; e++) if (e % every === 0) ticks.push(10 ** e);
  if (decades <= 6) {
    for (let e = Math.floor(eLo); e < eHi; e++) {
      for (let m = 2; m <= 9; m++) {
        const v = m * 10 ** e;
        if (Math.log10(v) > eLo && Math.log10(v) < eHi) minor.push(v);
      }
    }
  }
  return {
    lo: 10 ** eLo,
    hi: 10 ** eHi,
    ticks,
    minor,
    label: (v) => formatPowerOfTen(Math.round(Math.log10(v))),
    frac: (v) => (Math.log10(v) - eLo) / (eHi - eLo),
  };
}

export function linePlotScene(input: LinePlotInput): Scene & { plot: Rect; xAxis: Axis; yAxis: Axis } {
  const logY = input.logY ?? false;
  if (logY && input.yMin !== undefined && input.yMin <= 0) {
    throw new UserError(`a logarithmic y axis needs yMin > 0, got ${input.yMin}`);
  }
  if (input.yMin !== undefined && input.yMax !== undefined && input.yMin >= input.yMax) {
    throw new UserError(`yMin (${input.yMin}) must be below yMax (${input.yMax})`);
  }
  const usable = (p: [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!logY || p[1] > 0);
  const all = input.series.flatMap((s) => s.points.filter(usable));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const minOf = (a: number[], d: number) => (a.length ? a.reduce((m, v) => Math.min(m, v)) : d);
  const maxOf = (a: number[], d: number) => (a.length ? a.reduce((m, v) => Math.max(m, v)) : d);

  const xAxis = linearAxis(minOf(xs, 0), maxOf(xs, 1), false, false);
  const yLo = input.yMin ?? minOf(ys, logY ? 0.1 : 0);
  const yHi = input.yMax ?? maxOf(ys, logY ? 10 : 1);
  const yAxis = logY
    ? logAxis(yLo, Math.max(yHi, yLo), input.yMin !== undefined, input.yMax !== undefined)
    : linearAxis(yLo, Math.max(yHi, yLo), input.yMin !== undefined, input.yMax !== undefined);

  const W = PLOT_WIDTH;
  const H = PLOT_HEIGHT;
  const margin = 20;
  const tickScale = 2;
  const tickLabelW = Math.max(...yAxis.ticks.map((t) => textWidth(yAxis.label(t), tickScale)), 0);
  const plot: Rect = { x: margin + 14 + 12 + tickLabelW + 10, y: margin + 14 + 20, w: 0, h: 0 };
  plot.w = W - plot.x - 40;
  plot.h = H - plot.y - (10 + 14 + 14 + 14 + margin);
  const px = (x: number) => plot.x + xAxis.frac(x) * plot.w;
  const py = (y: number) => plot.y + plot.h - yAxis.frac(y) * plot.h;

  const shapes: Shape[] = [];
  const title = fit(input.title, W - 2 * margin, 2);
  shapes.push({ kind: 'text', x: W / 2, y: margin, text: title, color: INK, scale: 2, anchor: 'middle', bold: true });

  // Grid, then ticks and their labels.
  for (const v of yAxis.minor) shapes.push({ kind: 'line', x1: plot.x, y1: Math.round(py(v)), x2: plot.x + plot.w, y2: Math.round(py(v)), color: MINOR_GRID });
  for (const v of yAxis.ticks) {
    const y = Math.round(py(v));
    shapes.push({ kind: 'line', x1: plot.x, y1: y, x2: plot.x + plot.w, y2: y, color: GRID });
    shapes.push({ kind: 'line', x1: plot.x - 6, y1: y, x2: plot.x, y2: y, color: INK });
    shapes.push({ kind: 'text', x: plot.x - 10, y: y - GLYPH_HEIGHT, text: yAxis.label(v), color: INK, scale: tickScale, anchor: 'end' });
  }
  for (const v of xAxis.ticks) {
    const x = Math.round(px(v));
    shapes.push({ kind: 'line', x1: x, y1: plot.y, x2: x, y2: plot.y + plot.h, color: GRID });
    shapes.push({ kind: 'line', x1: x, y1: plot.y + plot.h, x2: x, y2: plot.y + plot.h + 6, color: INK });
    shapes.push({ kind: 'text', x, y: plot.y + plot.h + 10, text: xAxis.label(v), color: INK, scale: tickScale, anchor: 'middle' });
  }
  shapes.push({ kind: 'rect', x: plot.x, y: plot.y, w: plot.w + 1, h: plot.h + 1, stroke: INK });

  // Axis titles.
  shapes.push({ kind: 'text', x: plot.x + plot.w / 2, y: plot.y + plot.h + 10 + 14 + 12, text: fit(input.xLabel, plot.w, 2), color: INK, scale: 2, anchor: 'middle' });
  shapes.push({ kind: 'text', x: margin, y: plot.y + plot.h / 2, text: fit(input.yLabel, plot.h, 2), color: INK, scale: 2, anchor: 'middle', rotate: -90 });

  // Data, clipped to the plot area plus room for a marker sitting on the frame.
  const clip: Rect = { x: plot.x - 6, y: plot.y - 6, w: plot.w + 13, h: plot.h + 13 };
  input.series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const shape = MARKERS[i % MARKERS.length]!;
    // Unusable points (NaN, or y ≤ 0 on a log axis) break the line instead of joining across the gap.
    let run: Array<[number, number]> = [];
    const flush = () => {
      if (run.length > 1) shapes.push({ kind: 'polyline', points: run, color, width: 2, clip });
      run = [];
    };
    for (const p of s.points) {
      if (usable(p)) run.push([px(p[0]), py(p[1])]);
      else flush();
    }
    flush();
    const marked = s.points.filter(usable);
    if (marked.length <= MAX_MARKED_POINTS) {
      for (const p of marked) shapes.push({ kind: 'marker', x: px(p[0]), y: py(p[1]), shape, size: 8, color, clip });
    }
  });

  if (all.length === 0) {
    shapes.push({ kind: 'text', x: plot.x + plot.w / 2, y: plot.y + plot.h / 2 - 7, text: 'no data', color: MUTED, scale: 2, anchor: 'middle' });
  }

  // Legend in the top-right corner, where falling training curves leave room.
  const named = input.series.map((s, i) => ({ name: s.name, i })).filter((s) => s.name !== '');
  if (named.length > 0) {
    const rowH = 22;
    const names = named.map((s) => fit(s.name, 360, 2));
    const boxW = 12 + 28 + 8 + Math.max(...names.map((nm) => textWidth(nm, 2))) + 12;
    const boxH = 8 + named.length * rowH;
    const bx = plot.x + plot.w - boxW - 10;
    const by = plot.y + 10;
    shapes.push({ kind: 'rect', x: bx, y: by, w: boxW, h: boxH, fill: [255, 255, 255], stroke: [180, 180, 180] });
    named.forEach(({ i }, row) => {
      const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
      const cy = by + 4 + row * rowH + rowH / 2;
      shapes.push({ kind: 'line', x1: bx + 12, y1: Math.round(cy), x2: bx + 40, y2: Math.round(cy), color, width: 2 });
      shapes.push({ kind: 'marker', x: bx + 26, y: Math.round(cy), shape: MARKERS[i % MARKERS.length]!, size: 8, color });
      shapes.push({ kind: 'text', x: bx + 48, y: Math.round(cy) - GLYPH_HEIGHT, text: names[row]!, color: INK, scale: 2 });
    });
  }

  return { width: W, height: H, background: [255, 255, 255], title: input.title, shapes, plot, xAxis, yAxis };
}

export function linePlot(input: LinePlotInput): Picture {
  const scene = linePlotScene(input);
  return { svg: renderSvg(scene), png: rasterizeScene(scene).toPng() };
}
