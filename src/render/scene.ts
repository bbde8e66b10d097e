// A picture described once as a list of shapes in pixel coordinates, then drawn twice: as SVG text and into
// a Raster for the PNG. Sharing the layout keeps the two files identical apart from anti-aliasing and fonts.

import type { Rgb } from './colors.ts';
import type { Rect, TextAnchor } from './raster.ts';

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: Rgb; stroke?: Rgb; strokeWidth?: number }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; color: Rgb; width?: number }
  | { kind: 'polyline'; points: Array<[number, number]>; color: Rgb; width?: number; clip?: Rect }
  | { kind: 'marker'; x: number; y: number; shape: MarkerShape; size: number; color: Rgb; clip?: Rect }
  | {
      kind: 'text';
      x: number;
      /** Top of the glyphs (cap height ≈ 7 × scale pixels). */
      y: number;
      text: string;
      color: Rgb;
      /** Bitmap-font scale; SVG uses a monospace font of 10 × scale px, which has the same advance (6 × scale). */
      scale: number;
      anchor?: TextAnchor;
      rotate?: 0 | -90;
      bold?: boolean;
    }
  | {
      /** A grid of coloured cells (a heatmap block): column c, row r sits at (x + c·cellW, y + r·cellH). */
      kind: 'cells';
      x: number;
      y: number;
      cols: number;
      rows: number;
      cellW: number;
      cellH: number;
      color: (col: number, row: number) => Rgb;
      /** Hover text per cell in SVG (only used for small grids). */
      tooltip?: (col: number, row: number) => string;
    }
  | {
      /** A horizontal colour bar: position t ∈ [0, 1] from left to right. */
      kind: 'colorbar';
      x: number;
      y: number;
      w: number;
      h: number;
      color: (t: number) => Rgb;
    };

export interface Scene {
  width: number;
  height: number;
  background: Rgb;
  /** Document title (SVG <title>), for accessibility. */
  title: string;
  shapes: Shape[];
}

/** A finished picture: the same drawing as SVG text and as PNG bytes. */
export interface Picture {
  svg: string;
  png: Buffer;
}
