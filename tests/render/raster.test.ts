import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, glyphRows, textWidth } from '../../src/render/bitmap-font.ts';
import { Raster } from '../../src/render/raster.ts';
import { pixelAt, readPng } from './decode-png.ts';

const WHITE = [255, 255, 255, 255];
const RED: [number, number, number] = [220, 20, 30];

/** Bounding box of non-white pixels. */
function inkBox(r: Raster) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (r.getPixel(x, y).join() !== WHITE.join()) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    }
  }
  return { minX, minY, w: maxX - minX + 1, h: maxY - minY + 1 };
}

describe('Raster', () => {
  it('fills exactly the rectangle asked for, visible in the decoded PNG', () => {
    const r = new Raster(10, 8);
    r.fillRect(2, 3, 4, 2, RED);
    const png = readPng(r.toPng());
    expect(pixelAt(png, 2, 3)).toEqual([...RED, 255]);
    expect(pixelAt(png, 5, 4)).toEqual([...RED, 255]);
    expect(pixelAt(png, 6, 4)).toEqual(WHITE);
    expect(pixelAt(png, 2, 5)).toEqual(WHITE);
    expect(pixelAt(png, 1, 3)).toEqual(WHITE);
  });

  it('clips rectangles to the canvas', () => {
    const r = new Raster(4, 4);
    r.fillRect(-5, -5, 7, 7, RED);
    expect(r.getPixel(1, 1).slice(0, 3)).toEqual(RED);
    expect(r.getPixel(2, 2)).toEqual(WHITE);
  });

  it('draws lines through both end points and the diagonal between', () => {
    const r = new Raster(10, 10);
    r.line(1, 1, 8, 8, RED);
    for (let i = 1; i <= 8; i++) expect(r.getPixel(i, i).slice(0, 3)).toEqual(RED);
    expect(r.getPixel(1, 8)).toEqual(WHITE);
  });

  it('does not draw outside the clip rectangle', () => {
    const r = new Raster(10, 10);
    r.setClip({ x: 0, y: 0, w: 5, h: 10 });
    r.line(0, 5, 9, 5, RED);
    expect(r.getPixel(4, 5).slice(0, 3)).toEqual(RED);
    expect(r.getPixel(5, 5)).toEqual(WHITE);
  });

  it('blends translucent colours over the background', () => {
    const r = new Raster(1, 1, [0, 0, 0]);
    r.fillRect(0, 0, 1, 1, [200, 100, 50, 128]);
    const [red, green] = r.getPixel(0, 0);
    expect(red).toBeGreaterThan(95);
    expect(red).toBeLessThan(105);
    expect(green).toBeGreaterThan(45);
    expect(green).toBeLessThan(55);
  });

  it('draws text within its advance box, scaled', () => {
    const r = new Raster(80, 30);
    r.text(3, 4, 'HEH', RED, { scale: 2 });
    const box = inkBox(r);
    expect(box.minX).toBe(3);
    expect(box.minY).toBe(4);
    expect(box.w).toBe(textWidth('HEH', 2));
    expect(box.h).toBe(GLYPH_HEIGHT * 2);
  });

  it('centres text on its anchor when asked', () => {
    const r = new Raster(80, 10);
    r.text(40, 1, 'HHH', RED, { anchor: 'middle' });
    const box = inkBox(r);
    expect(Math.abs(box.minX + box.w / 2 - 40)).toBeLessThanOrEqual(1);
  });

  it('draws rotated text reading upwards, ending at the anchor with anchor "end"', () => {
    const r = new Raster(30, 80);
    r.text(5, 10, 'HELLO', RED, { rotate: -90, anchor: 'end' });
    const box = inkBox(r);
    expect(box.minX).toBe(5);
    expect(box.w).toBe(GLYPH_HEIGHT);
    expect(box.minY).toBe(10);
    expect(box.h).toBe(textWidth('HELLO'));
  });

  it('draws characters outside the font as "?"', () => {
    const a = new Raster(10, 10);
    const b = new Raster(10, 10);
    a.text(0, 0, 'é', RED);
    b.text(0, 0, '?', RED);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });
});

describe('bitmap font', () => {
  it('has a distinct glyph for every printable ASCII character', () => {
    const seen = new Map<string, string>();
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      const key = glyphRows(ch).join(',');
      expect(seen.get(key), `${ch} looks like ${seen.get(key)}`).toBeUndefined();
      seen.set(key, ch);
    }
  });

  it('has visible glyphs for whitespace markers', () => {
    // Not the '?' that stands in for characters outside the font.
    for (const ch of ['␣', '↵', '⇥', '…']) expect(glyphRows(ch), ch).not.toEqual(glyphRows('?'));
  });
});
