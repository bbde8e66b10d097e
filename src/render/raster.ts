// A tiny RGBA canvas: rectangles, lines, discs and bitmap-font text, then toPng(). Integer pixel coordinates;
// everything is clipped to the canvas (and to an optional clip rectangle, e.g. a plot's data area).

import type { Rgb } from './colors.ts';
import { GLYPH_ADVANCE, GLYPH_WIDTH, glyphPixel, glyphRows, textWidth } from './bitmap-font.ts';
import { encodePng } from './png.ts';

/** RGB, or RGBA with alpha 0–255 blended over what is already there. */
export type Color = Rgb | [number, number, number, number];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type TextAnchor = 'start' | 'middle' | 'end';

export interface TextOptions {
  /** Each font pixel becomes scale×scale pixels; a glyph is 5×7 at scale 1. */
  scale?: number;
  /** Where (x, y) sits along the text: its start, middle or end. (x, y) is always at the top of the glyphs. */
  anchor?: TextAnchor;
  /** 0 = left to right; -90 = reading upwards (glyph tops face left), as for a y-axis label. */
  rotate?: 0 | -90;
}

export class Raster {
  readonly data: Uint8Array;
  private clip: Rect;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Color = [255, 255, 255],
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`canvas size must be positive integers, got ${width}×${height}`);
    }
    this.data = new Uint8Array(width * height * 4);
    this.clip = { x: 0, y: 0, w: width, h: height };
    const [r, g, b] = background;
    const a = background[3] ?? 255;
    for (let i = 0; i < this.data.length; i += 4) {
      this.data[i] = r;
      this.data[i + 1] = g;
      this.data[i + 2] = b;
      this.data[i + 3] = a;
    }
  }

  /** Restrict drawing to a rectangle (intersected with the canvas); null restores the whole canvas. */
  setClip(rect: Rect | null): void {
    const r = rect ?? { x: 0, y: 0, w: this.width, h: this.height };
    const x0 = Math.max(0, Math.floor(r.x));
    const y0 = Math.max(0, Math.floor(r.y));
    const x1 = Math.min(this.width, Math.floor(r.x + r.w));
    const y1 = Math.min(this.height, Math.floor(r.y + r.h));
    this.clip = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
  }

  getPixel(x: number, y: number): [number, number, number, number] {
    const i = (y * this.width + x) * 4;
    return [this.data[i]!, this.data[i + 1]!, this.data[i + 2]!, this.data[i + 3]!];
  }

  setPixel(x: number, y: number, c: Color): void {
    x = Math.floor(x);
    y = Math.floor(y);
    const k = this.clip;
    if (x < k.x || y < k.y || x >= k.x + k.w || y >= k.y + k.h) return;
    const i = (y * this.width + x) * 4;
    const a = c[3] ?? 255;
    if (a >= 255) {
      this.data[i] = c[0];
      this.data[i + 1] = c[1];
      this.data[i + 2] = c[2];
      this.data[i + 3] = 255;
      return;
    }
    const f = a / 255;
    const d = this.data;
    d[i] = Math.round(d[i]! + (c[0] - d[i]!) * f);
    d[i + 1] = Math.round(d[i + 1]! + (c[1] - d[i + 1]!) * f);
    d[i + 2] = Math.round(d[i + 2]! + (c[2] - d[i + 2]!) * f);
    d[i + 3] = Math.max(d[i + 3]!, a);
  }

  fillRect(x: number, y: number, w: number, h: number, c: Color): void {
    const k = this.clip;
    const x0 = Math.max(k.x, Math.floor(x));
    const y0 = Math.max(k.y, Math.floor(y));
    const x1 = Math.min(k.x + k.w, Math.floor(x + w));
    const y1 = Math.min(k.y + k.h, Math.floor(y + h));
    if (x0 >= x1 || y0 >= y1) return;
    if ((c[3] ?? 255) < 255) {
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.setPixel(xx, yy, c);
      return;
    }
    // Opaque fast path: fill the first row, then copy it down; heatmaps fill hundreds of thousands of cells.
    const d = this.data;
    const rowStart = (y0 * this.width + x0) * 4;
    for (let xx = 0; xx < x1 - x0; xx++) {
      const i = rowStart + xx * 4;
      d[i] = c[0];
      d[i + 1] = c[1];
      d[i + 2] = c[2];
      d[i + 3] = 255;
    }
    const len = (x1 - x0) * 4;
    for (let yy = y0 + 1; yy < y1; yy++) d.copyWithin((yy * this.width + x0) * 4, rowStart, rowStart + len);
  }

  /** Outline drawn inside the rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, c: Color, lineWidth = 1): void {
    this.fillRect(x, y, w, lineWidth, c);
    this.fillRect(x, y + h - lineWidth, w, lineWidth, c);
    this.fillRect(x, y + lineWidth, lineWidth, h - 2 * lineWidth, c);
    this.fillRect(x + w - lineWidth, y + lineWidth, lineWidth, h - 2 * lineWidth, c);
  }

  /** Bresenham line; wider lines stamp a square brush centred on each point. */
  line(x0: number, y0: number, x1: number, y1: number, c: Color, lineWidth = 1): void {
    x0 = Math.round(x0);
    y0 = Math.round(y0);
    x1 = Math.round(x1);
    y1 = Math.round(y1);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    const half = Math.floor((lineWidth - 1) / 2);
    // Translucent wide lines would darken where stamps overlap, so they are drawn opaque-only per pixel once.
    const seen = (c[3] ?? 255) < 255 && lineWidth > 1 ? new Set<number>() : null;
    let err = dx + dy;
    for (;;) {
      if (lineWidth <= 1) this.setPixel(x0, y0, c);
      else if (!seen) this.fillRect(x0 - half, y0 - half, lineWidth, lineWidth, c);
      else {
        for (let yy = y0 - half; yy < y0 - half + lineWidth; yy++) {
          for (let xx = x0 - half; xx < x0 - half + lineWidth; xx++) {
            const key = yy * this.width + xx;
            if (!seen.has(key)) {
              seen.add(key);
              this.setPixel(xx, yy, c);
            }
          }
        }
      }
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  fillCircle(cx: number, cy: number, r: number, c: Color): void {
    const r2 = r * r;
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) this.setPixel(x, y, c);
      }
    }
  }

  /** Filled triangle by scanning its bounding box (markers are small). */
  fillTriangle(a: [number, number], b: [number, number], cc: [number, number], c: Color): void {
    const minX = Math.floor(Math.min(a[0], b[0], cc[0]));
    const maxX = Math.ceil(Math.max(a[0], b[0], cc[0]));
    const minY = Math.floor(Math.min(a[1], b[1], cc[1]));
    const maxY = Math.ceil(Math.max(a[1], b[1], cc[1]));
    const edge = (p: [number, number], q: [number, number], x: number, y: number) =>
      (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const e0 = edge(a, b, px, py);
        const e1 = edge(b, cc, px, py);
        const e2 = edge(cc, a, px, py);
        if ((e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0)) this.setPixel(x, y, c);
      }
    }
  }

  /** Bitmap-font text; characters outside printable ASCII (and a few symbols) are drawn as '?'. */
  text(x: number, y: number, text: string, c: Color, opts: TextOptions = {}): void {
    const scale = Math.max(1, Math.round(opts.scale ?? 1));
    const anchor = opts.anchor ?? 'start';
    const w = textWidth(text, scale);
    const offset = anchor === 'start' ? 0 : anchor === 'middle' ? Math.round(w / 2) : w;
    x = Math.round(x);
    y = Math.round(y);
    let along = -offset;
    for (const ch of text) {
      const rows = glyphRows(ch);
      for (let gy = 0; gy < rows.length; gy++) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (!glyphPixel(rows, gx, gy)) continue;
          const u = along + gx * scale; // distance along the text direction
          const v = gy * scale; // distance down from the top of the glyphs
          if (opts.rotate === -90) this.fillRect(x + v, y - u - scale, scale, scale, c);
          else this.fillRect(x + u, y + v, scale, scale, c);
        }
      }
      along += GLYPH_ADVANCE * scale;
    }
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.data);
  }
}
