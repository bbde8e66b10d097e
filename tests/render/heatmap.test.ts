import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { cellRgb, gateRgb, rgbHex } from '../../src/render/colors.ts';
import { MAX_TOKENS_PER_ROW, gateHeatmap, heatmapScene, type GateHeatmapInput } from '../../src/render/heatmap.ts';
import { pixelAt, readPng } from './decode-png.ts';
import { findAll, parseXml } from './xml-check.ts';

function input(tokens: string[], units: number, kind: GateHeatmapInput['kind'] = 'forget'): GateHeatmapInput {
  // A value pattern that differs per token and unit, so a misplaced cell shows.
  const values = tokens.map((_, t) => Array.from({ length: units }, (_, u) => ((t * 7 + u * 3) % 11) / 10));
  return { tokens, values, title: 'Forget gate, layer 1', kind };
}

const texts = (svg: string) => findAll(parseXml(svg), 'text').map((t) => t.text);

describe('gateHeatmap', () => {
  it('paints each cell of the PNG in the colour of its value', () => {
    const inp = input([...'hello world'], 6);
    const scene = heatmapScene(inp);
    const png = readPng(gateHeatmap(inp).png);
    const { x, bandYs, cellW, cellH } = scene.grid;
    for (const [t, u] of [[0, 0], [4, 5], [10, 2], [6, 3]] as const) {
      const px = pixelAt(png, x + t * cellW + Math.floor(cellW / 2), bandYs[0]! + u * cellH + Math.floor(cellH / 2));
      expect(px.slice(0, 3)).toEqual(gateRgb(inp.values[t]![u]!));
    }
  });

  it('uses the diverging blue–red scale for cell states', () => {
    const inp: GateHeatmapInput = { tokens: ['a', 'b'], values: [[-1], [1]], title: 'cell', kind: 'cell' };
    const scene = heatmapScene(inp);
    const png = readPng(gateHeatmap(inp).png);
    const { x, bandYs, cellW } = scene.grid;
    expect(pixelAt(png, x + 1, bandYs[0]! + 1).slice(0, 3)).toEqual(cellRgb(-1));
    expect(pixelAt(png, x + cellW + 1, bandYs[0]! + 1).slice(0, 3)).toEqual(cellRgb(1));
  });

  it('gives the PNG the size of the layout', () => {
    const inp = input([...'abc'], 4);
    const scene = heatmapScene(inp);
    expect(readPng(gateHeatmap(inp).png)).toMatchObject({ width: scene.width, height: scene.height });
  });

  it('writes well-formed SVG with tokens escaped', () => {
    const tokens = ['<', '&', '"', "'", '>', 'a<b&c'];
    const { svg } = gateHeatmap(input(tokens, 3));
    const labels = texts(svg);
    for (const t of tokens) expect(labels).toContain(t);
  });

  it('colours SVG cells by value, one rect per token and unit with a tooltip', () => {
    const inp = input(['the', ' cat'], 2);
    const rects = findAll(parseXml(gateHeatmap(inp).svg), 'rect').filter((r) => r.children.some((c) => c.name === 'title'));
    expect(rects).toHaveLength(4);
    const tip = rects.find((r) => r.children[0]!.text.startsWith('␣cat (token 1), unit 0:'))!;
    expect(tip.attrs.fill).toBe(rgbHex(gateRgb(inp.values[1]![0]!)));
  });

  it('shows spaces and newlines visibly in token labels', () => {
    const labels = texts(gateHeatmap(input(['a', ' ', '\n'], 2)).svg);
    expect(labels).toContain('␣');
    expect(labels).toContain('↵');
  });

  it('labels the forget-gate colour bar forgetting / remembering', () => {
    const labels = texts(gateHeatmap(input(['a'], 2, 'forget')).svg);
    expect(labels).toContain('forgetting');
    expect(labels).toContain('remembering');
  });

  it('labels the cell-state colour bar negative / positive', () => {
    const labels = texts(gateHeatmap(input(['a'], 2, 'cell')).svg);
    expect(labels).toContain('negative');
    expect(labels).toContain('positive');
  });

  it('uses custom unit labels when given', () => {
    const inp = { ...input(['a', 'b'], 2), unitLabels: ['alpha', 'beta'] };
    expect(texts(gateHeatmap(inp).svg)).toContain('alpha');
  });

  it(`wraps long sequences into bands of at most ${MAX_TOKENS_PER_ROW} tokens`, () => {
    const scene = heatmapScene(input(Array.from({ length: 500 }, () => 'x'), 4));
    expect(scene.grid.perRow).toBeLessThanOrEqual(MAX_TOKENS_PER_ROW);
    expect(scene.grid.bandYs).toHaveLength(Math.ceil(500 / scene.grid.perRow));
  });

  // Speed is a benchmark's business (npx tsx src/render/... by hand), not a test's: only the size is checked.
  it('renders 500 tokens × 512 units at a reasonable size', () => {
    const tokens = Array.from({ length: 500 }, (_, i) => 'The cat sat.\n'[i % 13]!);
    const pic = gateHeatmap(input(tokens, 512));
    const { width, height } = readPng(pic.png);
    expect(width).toBeLessThanOrEqual(1400);
    expect(height).toBeLessThanOrEqual(3500);
    expect(pic.png.length).toBeLessThan(4_000_000);
    expect(pic.svg.length).toBeLessThan(4_000_000);
  });

  it('refuses an empty sequence with a user error', () => {
    expect(() => gateHeatmap({ tokens: [], values: [], title: 't', kind: 'forget' })).toThrow(UserError);
  });

  it('rejects values whose shape does not match tokens × units', () => {
    expect(() => gateHeatmap({ tokens: ['a', 'b'], values: [[0.1]], title: 't', kind: 'forget' })).toThrow(/2 tokens but 1 rows/);
    expect(() => gateHeatmap({ tokens: ['a', 'b'], values: [[0.1, 0.2], [0.3]], title: 't', kind: 'input' })).toThrow(/row 1 has 1 values/);
  });
});
