// Gate activity as a heatmap: one column per token (left to right, wrapped into bands of at most 120 tokens),
// one row per unit, colour = value. Sizes are chosen so 500 tokens × 512 units stays a ~1200×3000 PNG that
// renders in well under a second; small inputs get big cells and readable labels.

import type { GateKind } from '../generation/events.ts';
import { UserError } from '../errors.ts';
import { rgbAt, scaleOf, scaleWords, type Rgb } from './colors.ts';
import { focusLabel, focusScaleKind, focusSeries, focusWords, type GateFocus } from './gate-focus.ts';
import { fitScale, formatLevel, scalePosition, scaleRgb, scaleValueAt, SCALE_MODE_TEXT, type ScaleMode } from './gate-scale.ts';
import { GLYPH_HEIGHT, textWidth } from './bitmap-font.ts';
import { rasterizeScene } from './scene-raster.ts';
import type { Picture, Scene, Shape } from './scene.ts';

export type { Picture } from './scene.ts';
import { renderSvg } from './svg.ts';
import { fit, visibleToken } from './token-label.ts';

export interface GateHeatmapInput {
  /** Token texts, in order; whitespace is shown as ␣ ↵ ⇥. */
  tokens: string[];
  /** values[t][u]: tokens × units. Gates in [0, 1]; cell states in [-1, 1] (clamped). */
  values: number[][];
  title: string;
  kind: GateKind;
  /** Optional names for units (default: the unit index). */
  unitLabels?: string[];
  /** Colour scale of the grid: fixed (default: 0–1, cells ±1) or fitted to the values drawn (gate-scale.ts). */
  scale?: ScaleMode;
  /**
   * A strip above each band colouring every token by one unit or a summary over the units (on its own scale,
   * of the same mode), as the terminal's gate view colours the story; a unit's row is also marked in the grid.
   */
  focus?: GateFocus;
}


/** Most tokens in one band before wrapping to the next. */
export const MAX_TOKENS_PER_ROW = 120;
const TARGET_GRID_WIDTH = 1200; // px of cells per band when there are many tokens
const MIN_CELL_W = 8; // a rotated 5×7 label needs 7 px plus a gap
const MAX_CELL_W = 28;
const TARGET_BAND_HEIGHT = 480; // px of cells per band when there are many units
const MAX_CELL_H = 24;
const MAX_GRID_HEIGHT = 3000; // all bands together; beyond this cells shrink to 1 px
const MAX_LABEL_CHARS = 10;

const INK: Rgb = [34, 34, 34];
const MUTED: Rgb = [100, 100, 100];
const BACKGROUND: Rgb = [255, 255, 255];

const KIND_NAMES: Record<GateKind, string> = {
  forget: 'forget gate',
  input: 'input gate',
  output: 'output gate',
  cell: 'cell state',
};

function validate(input: GateHeatmapInput): number {
  const { tokens, values } = input;
  if (tokens.length === 0) throw new UserError('nothing to draw: the gate heatmap needs at least one token');
  if (values.length !== tokens.length) {
    throw new RangeError(`gate heatmap: ${tokens.length} tokens but ${values.length} rows of values (need tokens × units)`);
  }
  const units = values[0]!.length;
  if (units === 0) throw new RangeError('gate heatmap: value rows are empty (need at least one unit)');
  values.forEach((row, t) => {
    if (row.length !== units) throw new RangeError(`gate heatmap: row ${t} has ${row.length} values, row 0 has ${units}`);
  });
  if (input.unitLabels && input.unitLabels.length !== units) {
    throw new RangeError(`gate heatmap: ${input.unitLabels.length} unit labels for ${units} units`);
  }
  return units;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Unit-label step: the smallest power of two that keeps labels `minGap` px apart. */
function unitStep(cellH: number, minGap: number): number {
  let step = 1;
  while (step * cellH < minGap) step *= 2;
  return step;
}

/** Builds the shared layout; exported for tests that check where cells land. */
export function heatmapScene(input: GateHeatmapInput): Scene & { grid: { x: number; bandYs: number[]; cellW: number; cellH: number; perRow: number } } {
  const units = validate(input);
  const { tokens, values, kind } = input;
  const T = tokens.length;

  // Bands of equal width: 130 tokens become 2 × 65, not 120 + 10.
  const bands = Math.ceil(T / MAX_TOKENS_PER_ROW);
  const perRow = Math.ceil(T / bands);
  const cellW = clamp(Math.floor(TARGET_GRID_WIDTH / perRow), MIN_CELL_W, MAX_CELL_W);
  let cellH = clamp(Math.floor(TARGET_BAND_HEIGHT / units), 1, MAX_CELL_H);
  while (cellH > 1 && bands * units * cellH > MAX_GRID_HEIGHT) cellH--;

  // Token labels: horizontal when every label is one character, otherwise rotated to read upwards.
  const labels = tokens.map((t) => visibleToken(t, MAX_LABEL_CHARS));
  const tokenScale = cellW >= 16 ? 2 : 1;
  const horizontal = labels.every((l) => [...l].length === 1);
  const labelLen = Math.max(...labels.map((l) => textWidth(l, tokenScale)));
  const tokenLabelH = horizontal ? GLYPH_HEIGHT * tokenScale : labelLen;

  // Unit labels on the left, every few units.
  const unitScale = 2;
  const step = unitStep(cellH, GLYPH_HEIGHT * unitScale + 12);
  const unitName = (u: number) => (input.unitLabels ? visibleToken(input.unitLabels[u]!, MAX_LABEL_CHARS) : String(u));
  const shownUnits: number[] = [];
  for (let u = 0; u < units; u += step) shownUnits.push(u);
  const focusName = input.focus ? ('unit' in input.focus ? `unit ${unitName(input.focus.unit)}` : input.focus.summary) : '';
  const unitLabelW = Math.max(textWidth(focusName, unitScale), ...shownUnits.map((u) => textWidth(unitName(u), unitScale)));

  const margin = 16;
  const axisTitleW = 7 * 2 + 8; // rotated "unit" at scale 2
  const gridX = margin + axisTitleW + unitLabelW + 8;
  const gridW = perRow * cellW;
  const bandH = units * cellH;

  const words = scaleWords(kind);
  const mode = input.scale ?? 'fixed';
  const grid = fitScale(values.flat(), kind, mode);
  const focus = input.focus;
  if (focus && 'unit' in focus && (focus.unit < 0 || focus.unit >= units || !Number.isInteger(focus.unit))) {
    throw new UserError(`unit must be 0 to ${units - 1} (got ${focus.unit})`);
  }
  const focusValues = focus ? focusSeries(values, kind, focus) : [];
  const focusScale = focus ? fitScale(focusValues, focusScaleKind(kind, focus), mode) : undefined;
  const focusH = focus ? Math.max(12, Math.min(24, cellH * 2)) : 0;
  const barW = 240;
  const legendW = textWidth(words.low, 2) + 10 + barW + 10 + textWidth(words.high, 2);
  const unitMark = focus && 'unit' in focus ? `◀ ${unitName(focus.unit)}` : '';
  const width = Math.max(gridX + gridW + margin + (unitMark ? 8 + textWidth(unitMark, 2) : 0), margin * 2 + legendW, 480);

  // Title: scale 2, or scale 1 / shortened when the picture is narrow.
  const title = fit(input.title, width - 2 * margin, 2);

  const shapes: Shape[] = [];
  let y = margin;
  shapes.push({ kind: 'text', x: margin, y, text: title, color: INK, scale: 2, bold: true });
  y += GLYPH_HEIGHT * 2 + 8;
  const subtitle = `${KIND_NAMES[kind]} · ${T} token${T === 1 ? '' : 's'}, ${units} unit${units === 1 ? '' : 's'}`;
  shapes.push({ kind: 'text', x: margin, y, text: fit(subtitle, width - 2 * margin, 2), color: MUTED, scale: 2 });
  y += GLYPH_HEIGHT * 2 + 8;
  // Lines that are too long for scale 2 drop to scale 1 before they are shortened.
  const note = (text: string) => {
    const s = textWidth(text, 2) <= width - 2 * margin ? 2 : 1;
    shapes.push({ kind: 'text', x: margin, y, text: fit(text, width - 2 * margin, s), color: MUTED, scale: s });
    y += GLYPH_HEIGHT * s + 8;
  };
  note(`colours: ${formatLevel(grid.lo)} to ${formatLevel(grid.hi)} (${SCALE_MODE_TEXT[mode]})`);
  if (focus && focusScale) {
    const fw = focusWords(kind, focus) ?? scaleWords(focusScale.kind);
    const ends = scaleOf(focusScale.kind) === 'cell' ? ' (0 grey, blue negative, red positive)' : '';
    const lo = formatLevel(focusScale.lo) + (ends ? '' : ` (${fw.low})`);
    const hi = formatLevel(focusScale.hi) + (ends ? '' : ` (${fw.high})`);
    note(`top strip: ${focusLabel(kind, focus)}, ${lo} to ${hi}${ends}`);
  }
  y += 6;

  // Colour bar: low word, gradient, high word; ticks at both ends and the middle.
  const lowW = textWidth(words.low, 2);
  const barX = margin + lowW + 10;
  const barH = 14;
  shapes.push({ kind: 'text', x: margin, y: y + (barH - 14) / 2, text: words.low, color: INK, scale: 2 });
  // The bar runs over the part of the map the values use (a cell range of one sign uses one half).
  const t0 = scalePosition(grid.lo, grid);
  const t1 = scalePosition(grid.hi, grid);
  shapes.push({ kind: 'colorbar', x: barX, y, w: barW, h: barH, color: (t) => rgbAt(t0 + t * (t1 - t0), kind) });
  shapes.push({ kind: 'text', x: barX + barW + 10, y: y + (barH - 14) / 2, text: words.high, color: INK, scale: 2 });
  for (const t of [0, 0.5, 1]) {
    const tx = Math.round(barX + t * (barW - 1));
    shapes.push({ kind: 'line', x1: tx, y1: y + barH + 1, x2: tx, y2: y + barH + 4, color: INK });
    const anchor = t === 0 ? 'start' : t === 1 ? 'end' : 'middle';
    const v = scaleValueAt(t0 + t * (t1 - t0), grid);
    shapes.push({ kind: 'text', x: tx, y: y + barH + 6, text: mode === 'fixed' ? String(Math.round(v * 1e9) / 1e9) : formatLevel(v), color: INK, scale: 2, anchor });
  }
  y += barH + 6 + GLYPH_HEIGHT * 2 + 16;

  const bandYs: number[] = [];
  for (let b = 0; b < bands; b++) {
    const start = b * perRow;
    const count = Math.min(perRow, T - start);
    // Band caption: which tokens this band holds.
    const caption = bands > 1 ? `tokens ${start}-${start + count - 1}` : `tokens 0-${T - 1}`;
    shapes.push({ kind: 'text', x: gridX, y, text: caption, color: MUTED, scale: 2 });
    y += GLYPH_HEIGHT * 2 + 6;
    if (focus && focusScale) {
      shapes.push({
        kind: 'cells',
        x: gridX,
        y,
        cols: count,
        rows: 1,
        cellW,
        cellH: focusH,
        color: (c) => scaleRgb(focusValues[start + c], focusScale),
        tooltip: (c) => `${labels[start + c]} (token ${start + c}), ${focusName}: ${focusValues[start + c]?.toFixed(3) ?? 'none'}`,
      });
      shapes.push({ kind: 'rect', x: gridX - 1, y: y - 1, w: count * cellW + 2, h: focusH + 2, stroke: MUTED });
      shapes.push({ kind: 'text', x: gridX - 7, y: y + Math.round((focusH - GLYPH_HEIGHT * unitScale) / 2), text: focusName, color: INK, scale: unitScale, anchor: 'end', bold: true });
      y += focusH + 6;
    }
    bandYs.push(y);

    shapes.push({
      kind: 'cells',
      x: gridX,
      y,
      cols: count,
      rows: units,
      cellW,
      cellH,
      color: (c, r) => scaleRgb(values[start + c]![r]!, grid),
      tooltip: (c, r) => `${labels[start + c]} (token ${start + c}), unit ${unitName(r)}: ${values[start + c]![r]!.toFixed(3)}`,
    });
    shapes.push({ kind: 'rect', x: gridX - 1, y: y - 1, w: count * cellW + 2, h: bandH + 2, stroke: MUTED });
    if (focus && 'unit' in focus) {
      // The shown unit's row: an outline across the band and its name at the right.
      const uy = y + focus.unit * cellH;
      shapes.push({ kind: 'rect', x: gridX - 1, y: uy - 1, w: count * cellW + 2, h: cellH + 2, stroke: INK, strokeWidth: 1 });
      shapes.push({ kind: 'text', x: gridX + count * cellW + 8, y: Math.round(uy + cellH / 2 - GLYPH_HEIGHT), text: unitMark, color: INK, scale: 2, bold: true });
    }

    for (const u of shownUnits) {
      const cy = y + u * cellH + cellH / 2;
      shapes.push({ kind: 'line', x1: gridX - 5, y1: Math.floor(cy), x2: gridX - 2, y2: Math.floor(cy), color: INK });
      shapes.push({
        kind: 'text',
        x: gridX - 7,
        y: Math.round(cy - (GLYPH_HEIGHT * unitScale) / 2),
        text: unitName(u),
        color: INK,
        scale: unitScale,
        anchor: 'end',
      });
    }
    shapes.push({
      kind: 'text',
      x: margin,
      y: y + Math.round(bandH / 2),
      text: 'unit',
      color: MUTED,
      scale: bandH >= 60 ? 2 : 1,
      anchor: 'middle',
      rotate: -90,
    });

    const labelTop = y + bandH + 4;
    for (let c = 0; c < count; c++) {
      const colX = gridX + c * cellW;
      const label = labels[start + c]!;
      if (horizontal) {
        shapes.push({ kind: 'text', x: colX + Math.floor((cellW - textWidth(label, tokenScale)) / 2), y: labelTop, text: label, color: INK, scale: tokenScale });
      } else {
        // Rotated labels end at the grid, like matplotlib's rotation=90 tick labels.
        const x = colX + Math.floor((cellW - GLYPH_HEIGHT * tokenScale) / 2);
        shapes.push({ kind: 'text', x, y: labelTop, text: label, color: INK, scale: tokenScale, anchor: 'end', rotate: -90 });
      }
    }
    y = labelTop + tokenLabelH + 16;
  }

  const height = y + margin - 16;
  return {
    width,
    height,
    background: BACKGROUND,
    title: input.title,
    shapes,
    grid: { x: gridX, bandYs, cellW, cellH, perRow },
  };
}

/** The heatmap as SVG text and PNG bytes (same layout). */
export function gateHeatmap(input: GateHeatmapInput): Picture {
  const scene = heatmapScene(input);
  return { svg: renderSvg(scene), png: rasterizeScene(scene).toPng() };
}
