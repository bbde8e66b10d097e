// Scene → Raster (→ PNG). Shapes are drawn in order with the bitmap font and aliased lines.

import { Raster } from './raster.ts';
import type { Scene, Shape } from './scene.ts';

function drawShape(r: Raster, s: Shape): void {
  switch (s.kind) {
    case 'rect':
      if (s.fill) r.fillRect(s.x, s.y, s.w, s.h, s.fill);
      if (s.stroke) r.strokeRect(s.x, s.y, s.w, s.h, s.stroke, s.strokeWidth ?? 1);
      return;
    case 'line':
      r.line(s.x1, s.y1, s.x2, s.y2, s.color, s.width ?? 1);
      return;
    case 'polyline':
      r.setClip(s.clip ?? null);
      for (let i = 1; i < s.points.length; i++) {
        const [x0, y0] = s.points[i - 1]!;
        const [x1, y1] = s.points[i]!;
        r.line(x0, y0, x1, y1, s.color, s.width ?? 1);
      }
      r.setClip(null);
      return;
    case 'marker': {
      r.setClip(s.clip ?? null);
      const h = s.size / 2;
      if (s.shape === 'circle') r.fillCircle(s.x, s.y, h, s.color);
      else if (s.shape === 'square') r.fillRect(Math.round(s.x - h), Math.round(s.y - h), Math.round(s.size), Math.round(s.size), s.color);
      else if (s.shape === 'triangle') r.fillTriangle([s.x, s.y - h], [s.x + h, s.y + h], [s.x - h, s.y + h], s.color);
      else {
        r.fillTriangle([s.x, s.y - h], [s.x + h, s.y], [s.x - h, s.y], s.color);
        r.fillTriangle([s.x - h, s.y], [s.x + h, s.y], [s.x, s.y + h], s.color);
      }
      r.setClip(null);
      return;
    }
    case 'text': {
      const opts = { scale: s.scale, anchor: s.anchor ?? 'start', rotate: s.rotate ?? 0 } as const;
      r.text(s.x, s.y, s.text, s.color, opts);
      // Fake bold: the same glyphs again, one pixel further along.
      if (s.bold) r.text(s.rotate === -90 ? s.x : s.x + 1, s.rotate === -90 ? s.y - 1 : s.y, s.text, s.color, opts);
      return;
    }
    case 'cells':
      for (let row = 0; row < s.rows; row++) {
        for (let col = 0; col < s.cols; col++) {
          r.fillRect(s.x + col * s.cellW, s.y + row * s.cellH, s.cellW, s.cellH, s.color(col, row));
        }
      }
      return;
    case 'colorbar':
      for (let i = 0; i < s.w; i++) r.fillRect(s.x + i, s.y, 1, s.h, s.color(s.w > 1 ? i / (s.w - 1) : 0));
      r.strokeRect(s.x - 1, s.y - 1, s.w + 2, s.h + 2, [68, 68, 68]);
      return;
  }
}

export function rasterizeScene(scene: Scene): Raster {
  const r = new Raster(scene.width, scene.height, scene.background);
  for (const s of scene.shapes) drawShape(r, s);
  return r;
}
