// Scene → SVG 1.1 text. Output is plain XML (escaped text, no external references) so browsers, Inkscape,
// librsvg and XML parsers accept it.

import { rgbHex, type Rgb } from './colors.ts';
import { Raster, type Rect } from './raster.ts';
import type { Scene, Shape } from './scene.ts';

/** Above this many cells a heatmap block is embedded as a pixelated PNG instead of one <rect> per cell. */
export const SVG_RECT_LIMIT = 40_000;
/** Up to this many cells, each <rect> carries a <title> tooltip with its token, unit and value. */
export const SVG_TOOLTIP_LIMIT = 5_000;

const FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

// Characters XML 1.0 forbids even when escaped: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe inside XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const n = (v: number) => String(Math.round(v * 100) / 100);

function cellsSvg(s: Extract<Shape, { kind: 'cells' }>): string {
  const total = s.cols * s.rows;
  if (total > SVG_RECT_LIMIT) {
    // One pixel per cell, stretched with nearest-neighbour sampling: a 256k-cell map stays a few hundred KB.
    const img = new Raster(s.cols, s.rows);
    for (let r = 0; r < s.rows; r++) for (let c = 0; c < s.cols; c++) img.fillRect(c, r, 1, 1, s.color(c, r));
    const uri = 'data:image/png;base64,' + img.toPng().toString('base64');
    return (
      `<image x="${n(s.x)}" y="${n(s.y)}" width="${n(s.cols * s.cellW)}" height="${n(s.rows * s.cellH)}" ` +
      `preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated" ` +
      `href="${uri}" xlink:href="${uri}"/>`
    );
  }
  const out: string[] = ['<g shape-rendering="crispEdges">'];
  const tips = s.tooltip && total <= SVG_TOOLTIP_LIMIT ? s.tooltip : undefined;
  for (let r = 0; r < s.rows; r++) {
    const y = n(s.y + r * s.cellH);
    for (let c = 0; c < s.cols; ) {
      const hex = rgbHex(s.color(c, r));
      let run = 1;
      // Without tooltips, neighbouring cells of the same colour merge into one rectangle.
      if (!tips) while (c + run < s.cols && rgbHex(s.color(c + run, r)) === hex) run++;
      const attrs = `x="${n(s.x + c * s.cellW)}" y="${y}" width="${n(run * s.cellW)}" height="${n(s.cellH)}" fill="${hex}"`;
      out.push(tips ? `<rect ${attrs}><title>${escapeXml(tips(c, r))}</title></rect>` : `<rect ${attrs}/>`);
      c += run;
    }
  }
  out.push('</g>');
  return out.join('\n');
}

function markerSvg(s: Extract<Shape, { kind: 'marker' }>, clipAttr: string): string {
  const fill = rgbHex(s.color);
  const h = s.size / 2;
  switch (s.shape) {
    case 'circle':
      return `<circle cx="${n(s.x)}" cy="${n(s.y)}" r="${n(h)}" fill="${fill}"${clipAttr}/>`;
    case 'square':
      return `<rect x="${n(s.x - h)}" y="${n(s.y - h)}" width="${n(s.size)}" height="${n(s.size)}" fill="${fill}"${clipAttr}/>`;
    case 'triangle':
      return `<polygon points="${n(s.x)},${n(s.y - h)} ${n(s.x + h)},${n(s.y + h)} ${n(s.x - h)},${n(s.y + h)}" fill="${fill}"${clipAttr}/>`;
    case 'diamond':
      return `<polygon points="${n(s.x)},${n(s.y - h)} ${n(s.x + h)},${n(s.y)} ${n(s.x)},${n(s.y + h)} ${n(s.x - h)},${n(s.y)}" fill="${fill}"${clipAttr}/>`;
  }
}

export function renderSvg(scene: Scene): string {
  const defs: string[] = [];
  const body: string[] = [];
  const clipIds = new Map<string, string>();
  const clipRef = (clip: Rect | undefined): string => {
    if (!clip) return '';
    const key = `${clip.x},${clip.y},${clip.w},${clip.h}`;
    let id = clipIds.get(key);
    if (!id) {
      id = `clip${clipIds.size}`;
      clipIds.set(key, id);
      defs.push(`<clipPath id="${id}"><rect x="${n(clip.x)}" y="${n(clip.y)}" width="${n(clip.w)}" height="${n(clip.h)}"/></clipPath>`);
    }
    return ` clip-path="url(#${id})"`;
  };
  let gradients = 0;

  for (const s of scene.shapes) {
    switch (s.kind) {
      case 'rect': {
        const fill = s.fill ? rgbHex(s.fill) : 'none';
        const stroke = s.stroke ? ` stroke="${rgbHex(s.stroke)}" stroke-width="${n(s.strokeWidth ?? 1)}"` : '';
        body.push(`<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${fill}"${stroke}/>`);
        break;
      }
      case 'line':
        body.push(
          `<line x1="${n(s.x1)}" y1="${n(s.y1)}" x2="${n(s.x2)}" y2="${n(s.y2)}" stroke="${rgbHex(s.color)}" stroke-width="${n(s.width ?? 1)}"/>`,
        );
        break;
      case 'polyline':
        if (s.points.length < 2) break;
        body.push(
          `<polyline points="${s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${rgbHex(s.color)}" ` +
            `stroke-width="${n(s.width ?? 1)}" stroke-linejoin="round" stroke-linecap="round"${clipRef(s.clip)}/>`,
        );
        break;
      case 'marker':
        body.push(markerSvg(s, clipRef(s.clip)));
        break;
      case 'text': {
        const size = 10 * s.scale;
        // (x, y) is the top of the glyphs; the baseline sits one cap height (~0.72 em) lower.
        const baseline = s.y + 0.72 * size;
        const anchor = s.anchor && s.anchor !== 'start' ? ` text-anchor="${s.anchor}"` : '';
        const weight = s.bold ? ' font-weight="bold"' : '';
        const rotate = s.rotate === -90 ? ` transform="rotate(-90 ${n(s.x)} ${n(s.y)})"` : '';
        body.push(
          `<text x="${n(s.x)}" y="${n(baseline)}" font-size="${n(size)}" fill="${rgbHex(s.color)}"${anchor}${weight}${rotate}>${escapeXml(s.text)}</text>`,
        );
        break;
      }
      case 'cells':
        body.push(cellsSvg(s));
        break;
      case 'colorbar': {
        const id = `grad${gradients++}`;
        const stops = Array.from({ length: 17 }, (_, i) => {
          const t = i / 16;
          return `<stop offset="${n(t * 100)}%" stop-color="${rgbHex(s.color(t))}"/>`;
        });
        defs.push(`<linearGradient id="${id}" x1="0" y1="0" x2="1" y2="0">${stops.join('')}</linearGradient>`);
        body.push(`<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="url(#${id})" stroke="#444444" stroke-width="1"/>`);
        break;
      }
    }
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" ` +
      `width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">`,
    `<title>${escapeXml(scene.title)}</title>`,
    defs.length ? `<defs>\n${defs.join('\n')}\n</defs>` : '',
    `<rect x="0" y="0" width="${scene.width}" height="${scene.height}" fill="${rgbHex(scene.background)}"/>`,
    `<g font-family="${escapeXml(FONT_FAMILY)}">`,
    ...body,
    '</g>',
    '</svg>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
