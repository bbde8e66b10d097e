// The heatmap drawn the way the gate view shows a story: a fitted colour scale, and a strip of one unit or a
// summary above the grid with that unit's row outlined.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { cellRgb, gateRgb } from '../../src/render/colors.ts';
import { fitScale, scaleRgb } from '../../src/render/gate-scale.ts';
import { focusSeries } from '../../src/render/gate-focus.ts';
import { gateHeatmap, heatmapScene, type GateHeatmapInput } from '../../src/render/heatmap.ts';
import { pixelAt, readPng } from './decode-png.ts';
import { findAll, parseXml } from './xml-check.ts';

// Forget gates between 0.6 and 0.8: one shade of green on the fixed scale.
const values = Array.from({ length: 12 }, (_, t) => Array.from({ length: 5 }, (_, u) => 0.6 + (((t + 2 * u) % 11) / 10) * 0.2));
const input: GateHeatmapInput = { tokens: [...'hello world!'], values, title: 'forget', kind: 'forget' };
const texts = (svg: string) => findAll(parseXml(svg), 'text').map((t) => t.text);

function cellColour(inp: GateHeatmapInput, t: number, u: number): number[] {
  const scene = heatmapScene(inp);
  const { x, bandYs, cellW, cellH } = scene.grid;
  return pixelAt(readPng(gateHeatmap(inp).png), x + t * cellW + Math.floor(cellW / 2), bandYs[0]! + u * cellH + Math.floor(cellH / 2)).slice(0, 3);
}

describe('gate heatmap with a view', () => {
  it('stretches the colours over the values drawn with the range scale, and says so', () => {
    const inp = { ...input, scale: 'range' as const };
    let lowest = [0, 0];
    let highest = [0, 0];
    values.forEach((row, t) => row.forEach((v, u) => {
      if (v < values[lowest[0]][lowest[1]]) lowest = [t, u];
      if (v > values[highest[0]][highest[1]]) highest = [t, u];
    }));
    expect(cellColour(inp, lowest[0], lowest[1])).toEqual(gateRgb(0));
    expect(cellColour(inp, highest[0], highest[1])).toEqual(gateRgb(1));
    expect(texts(gateHeatmap(inp).svg)).toContain('colours: 0.60 to 0.80 (min–max of the story)');
  });

  it('keeps the fixed 0–1 colours by default', () => {
    expect(cellColour(input, 3, 2)).toEqual(gateRgb(values[3][2]));
    expect(texts(gateHeatmap(input).svg)).toContain('colours: 0 to 1 (fixed)');
  });

  it('keeps zero grey on a fitted cell-state scale', () => {
    const inp: GateHeatmapInput = { tokens: ['a', 'b', 'c'], values: [[-6], [0], [3]], title: 'cell', kind: 'cell', scale: 'range' };
    expect(cellColour(inp, 0, 0)).toEqual(cellRgb(-1));
    expect(cellColour(inp, 1, 0)).toEqual(cellRgb(0));
    expect(cellColour(inp, 2, 0)).toEqual(cellRgb(1));
  });

  it('draws a strip of the chosen unit above the grid, on its own fitted scale, and outlines its row', () => {
    const inp = { ...input, scale: 'fit' as const, focus: { unit: 3 } };
    const scene = heatmapScene(inp);
    const strip = scene.shapes.find((s) => s.kind === 'cells' && s.rows === 1);
    expect(strip).toBeDefined();
    const series = focusSeries(values, 'forget', { unit: 3 });
    const sc = fitScale(series, 'forget', 'fit');
    const png = readPng(gateHeatmap(inp).png);
    if (strip?.kind !== 'cells') throw new Error('no strip');
    for (const t of [0, 5, 11]) {
      expect(pixelAt(png, strip.x + t * strip.cellW + 2, strip.y + 2).slice(0, 3)).toEqual(scaleRgb(series[t], sc));
    }
    const svgText = texts(gateHeatmap(inp).svg);
    expect(svgText).toContain('◀ 3');
    expect(svgText.some((s) => s.startsWith('top strip: unit 3 forget gate'))).toBe(true);
    const outline = scene.shapes.find((s) => s.kind === 'rect' && s.y === scene.grid.bandYs[0] + 3 * scene.grid.cellH - 1);
    expect(outline).toBeDefined();
  });

  it('draws a summary strip without marking a unit', () => {
    const svgText = texts(gateHeatmap({ ...input, focus: { summary: 'share' } }).svg);
    expect(svgText).toContain('share');
    expect(svgText.some((s) => s.startsWith('◀'))).toBe(false);
  });

  it('refuses a unit the layer does not have', () => {
    expect(() => heatmapScene({ ...input, focus: { unit: 5 } })).toThrow(UserError);
    expect(() => heatmapScene({ ...input, focus: { unit: 5 } })).toThrow('unit must be 0 to 4 (got 5)');
  });
});
