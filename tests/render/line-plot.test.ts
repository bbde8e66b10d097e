import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { SERIES_COLORS, linePlot, linePlotScene, type LinePlotInput } from '../../src/render/line-plot.ts';
import type { Shape } from '../../src/render/scene.ts';
import { pixelAt, readPng } from './decode-png.ts';
import { findAll, parseXml } from './xml-check.ts';

const base: LinePlotInput = { title: 'Loss', xLabel: 'step', yLabel: 'loss', series: [] };
const markers = (shapes: Shape[]) => shapes.filter((s): s is Extract<Shape, { kind: 'marker' }> => s.kind === 'marker' && s.clip !== undefined);
const texts = (svg: string) => findAll(parseXml(svg), 'text').map((t) => t.text);

describe('linePlot', () => {
  it('places 1e-3 below 1e-1 on a log axis', () => {
    const scene = linePlotScene({ ...base, logY: true, series: [{ name: 'a', points: [[0, 1e-1], [1, 1e-3]] }] });
    const [hi, lo] = markers(scene.shapes);
    expect(lo!.y).toBeGreaterThan(hi!.y);
    // Equal ratios are equal distances on a log axis.
    const mid = linePlotScene({ ...base, logY: true, series: [{ name: 'a', points: [[0, 1e-1], [1, 1e-2], [2, 1e-3]] }] });
    const [a, b, c] = markers(mid.shapes);
    expect(b!.y - a!.y).toBeCloseTo(c!.y - b!.y, 6);
  });

  it('puts log ticks at powers of ten covering the data', () => {
    const { yAxis } = linePlotScene({ ...base, logY: true, series: [{ name: 'a', points: [[0, 0.004], [1, 3]] }] });
    for (const t of yAxis.ticks) expect(Math.log10(t)).toBeCloseTo(Math.round(Math.log10(t)), 9);
    expect(yAxis.lo).toBeLessThanOrEqual(0.004);
    expect(yAxis.hi).toBeGreaterThanOrEqual(3);
    expect(yAxis.ticks.map(yAxis.label)).toEqual(['1e-3', '0.01', '0.1', '1', '10']);
  });

  it('leaves out points a log axis cannot show', () => {
    const scene = linePlotScene({ ...base, logY: true, series: [{ name: 'a', points: [[0, 1], [1, 0], [2, -1], [3, 0.1]] }] });
    expect(markers(scene.shapes)).toHaveLength(2);
    expect(linePlot({ ...base, logY: true, series: [{ name: 'a', points: [[0, 1], [1, 0]] }] }).svg).not.toContain('NaN');
  });

  it('chooses round linear ticks that cover the data', () => {
    const { yAxis, xAxis } = linePlotScene({ ...base, series: [{ name: 'a', points: [[0, 0.13], [97, 2.71]] }] });
    expect(yAxis.lo).toBeLessThanOrEqual(0.13);
    expect(yAxis.hi).toBeGreaterThanOrEqual(2.71);
    expect(yAxis.ticks.map(yAxis.label)).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0', '2.5', '3.0']);
    expect(xAxis.ticks.at(-1)).toBeGreaterThanOrEqual(97);
  });

  it('honours yMin and yMax', () => {
    const { yAxis } = linePlotScene({ ...base, yMin: 0, yMax: 5, series: [{ name: 'a', points: [[0, 1], [1, 2]] }] });
    expect([yAxis.lo, yAxis.hi]).toEqual([0, 5]);
  });

  it('gives each series its own colour and a marker at every point', () => {
    const series = [0, 1, 2].map((i) => ({ name: `s${i}`, points: [[0, i], [1, i + 1], [2, i + 3]] as Array<[number, number]> }));
    const scene = linePlotScene({ ...base, series });
    const lines = scene.shapes.filter((s) => s.kind === 'polyline');
    expect(new Set(lines.map((l) => l.kind === 'polyline' && l.color.join()))).toHaveProperty('size', 3);
    expect(markers(scene.shapes)).toHaveLength(9);
  });

  it('draws markers in the PNG in the series colour', () => {
    const inp = { ...base, series: [{ name: 'a', points: [[0, 0], [5, 5], [10, 3]] as Array<[number, number]> }] };
    const m = markers(linePlotScene(inp).shapes)[1]!;
    const png = readPng(linePlot(inp).png);
    expect(pixelAt(png, Math.round(m.x), Math.round(m.y)).slice(0, 3)).toEqual(SERIES_COLORS[0]);
  });

  it('writes well-formed SVG with the title, axis labels and escaped legend names', () => {
    const { svg, png } = linePlot({ ...base, title: 'Loss <train & val>', series: [{ name: 'val "best"', points: [[0, 1], [1, 0.5]] }] });
    const labels = texts(svg);
    expect(labels).toContain('Loss <train & val>');
    expect(labels).toContain('step');
    expect(labels).toContain('loss');
    expect(labels).toContain('val "best"');
    expect(readPng(png).width).toBeGreaterThan(0);
  });

  it('draws empty axes saying "no data" when there are no points', () => {
    expect(texts(linePlot({ ...base, series: [{ name: 'a', points: [] }] }).svg)).toContain('no data');
  });

  it('rejects a log axis with yMin ≤ 0', () => {
    expect(() => linePlot({ ...base, logY: true, yMin: 0, series: [] })).toThrow(UserError);
  });
});
