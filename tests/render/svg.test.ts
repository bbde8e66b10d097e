import { describe, expect, it } from 'vitest';
import { gateRgb, rgbHex } from '../../src/render/colors.ts';
import type { Scene } from '../../src/render/scene.ts';
import { SVG_RECT_LIMIT, escapeXml, renderSvg } from '../../src/render/svg.ts';
import { visibleToken } from '../../src/render/token-label.ts';
import { pixelAt, readPng } from './decode-png.ts';
import { findAll, parseXml } from './xml-check.ts';

const scene = (shapes: Scene['shapes'], title = 'test'): Scene => ({ width: 100, height: 50, background: [255, 255, 255], title, shapes });

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('replaces characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a\u0001b\ud800c')).toBe('a\ufffdb\ufffdc');
  });
});

describe('renderSvg', () => {
  it('produces well-formed XML whose text round-trips special characters', () => {
    const text = `<script>&"quotes"'`;
    const svg = renderSvg(scene([{ kind: 'text', x: 1, y: 1, text, color: [0, 0, 0], scale: 1 }], 'A & B'));
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(findAll(root, 'title')[0]!.text).toBe('A & B');
    expect(findAll(root, 'text').map((t) => t.text)).toEqual([text]);
  });

  it('draws small cell grids as one rect per run of colour', () => {
    const svg = renderSvg(scene([{ kind: 'cells', x: 0, y: 0, cols: 3, rows: 1, cellW: 5, cellH: 5, color: (c) => gateRgb(c === 2 ? 1 : 0) }]));
    const fills = findAll(parseXml(svg), 'rect').map((r) => r.attrs.fill);
    expect(fills).toContain(rgbHex(gateRgb(0)));
    expect(fills).toContain(rgbHex(gateRgb(1)));
    expect(fills.filter((f) => f === rgbHex(gateRgb(0)))).toHaveLength(1);
  });

  it('embeds large grids as a pixelated PNG with one pixel per cell', () => {
    const cols = 300;
    const rows = Math.ceil(SVG_RECT_LIMIT / cols) + 1;
    const svg = renderSvg(scene([{ kind: 'cells', x: 0, y: 0, cols, rows, cellW: 2, cellH: 1, color: (c, r) => gateRgb(((c + r) % 10) / 9) }]));
    const image = findAll(parseXml(svg), 'image')[0]!;
    const png = readPng(Buffer.from(image.attrs.href!.replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height]).toEqual([cols, rows]);
    expect(pixelAt(png, 3, 4).slice(0, 3)).toEqual(gateRgb(7 / 9));
    expect(image.attrs.width).toBe(String(cols * 2));
  });
});

describe('visibleToken', () => {
  it('shows whitespace and empty tokens visibly', () => {
    expect(visibleToken(' the')).toBe('␣the');
    expect(visibleToken('\n')).toBe('↵');
    expect(visibleToken('\t')).toBe('⇥');
    expect(visibleToken('')).toBe('∅');
  });

  it('shortens long tokens with an ellipsis', () => {
    expect(visibleToken('extraordinarily', 6)).toBe('extra…');
  });
});
