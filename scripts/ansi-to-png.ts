// Turns a terminal screen captured with its colours (tmux capture-pane -e -p) into a PNG, drawn with the
// project's own bitmap font and raster (src/render), so the README's screenshots need no browser or font engine.
//
//   tmux capture-pane -e -p -t SESSION > screen.ans
//   npx tsx scripts/ansi-to-png.ts screen.ans docs/images/gate-view.png [--crop FIRST-LAST]
//
// Understands the SGR codes tmux writes: reset, bold, dim, underline, inverse, the 8/16 colours, 256-colour
// and 24-bit colours. Block characters (█ ▀ ▄ ░ ▒ ▓ ▌ ▐) fill their cell instead of using a glyph.
import { readFileSync, writeFileSync } from 'node:fs';
import { glyphPixel, glyphRows, GLYPH_HEIGHT, GLYPH_WIDTH } from '../src/render/bitmap-font.ts';
import { Raster } from '../src/render/raster.ts';
import type { Rgb } from '../src/render/colors.ts';

const CELL_W = 12; // a 5-pixel glyph at scale 2 plus a gap
const CELL_H = 24;
const PAD = 12;
const FG: Rgb = [220, 220, 220];
const BG: Rgb = [24, 24, 28];

// xterm's 16 colours.
const BASE16: Rgb[] = [
  [0, 0, 0], [205, 49, 49], [13, 188, 121], [229, 229, 16], [36, 114, 200], [188, 63, 188], [17, 168, 205], [229, 229, 229],
  [102, 102, 102], [241, 76, 76], [35, 209, 139], [245, 245, 67], [59, 142, 234], [214, 112, 214], [41, 184, 219], [255, 255, 255],
];

function xterm256(n: number): Rgb {
  if (n < 16) return BASE16[n];
  if (n >= 232) {
    const g = 8 + 10 * (n - 232);
    return [g, g, g];
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return [levels[Math.floor(i / 36)], levels[Math.floor(i / 6) % 6], levels[i % 6]];
}

interface Style {
  fg?: Rgb;
  bg?: Rgb;
  bold: boolean;
  dim: boolean;
  underline: boolean;
  inverse: boolean;
}
interface Cell {
  ch: string;
  style: Style;
}

const plainStyle = (): Style => ({ bold: false, dim: false, underline: false, inverse: false });

function applySgr(style: Style, params: number[]): Style {
  const s = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) Object.assign(s, plainStyle(), { fg: undefined, bg: undefined });
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 4) s.underline = true;
    else if (p === 24) s.underline = false;
    else if (p === 7) s.inverse = true;
    else if (p === 27) s.inverse = false;
    else if (p >= 30 && p <= 37) s.fg = BASE16[p - 30];
    else if (p >= 90 && p <= 97) s.fg = BASE16[p - 90 + 8];
    else if (p === 39) s.fg = undefined;
    else if (p >= 40 && p <= 47) s.bg = BASE16[p - 40];
    else if (p >= 100 && p <= 107) s.bg = BASE16[p - 100 + 8];
    else if (p === 49) s.bg = undefined;
    else if ((p === 38 || p === 48) && params[i + 1] === 5) {
      const c = xterm256(params[i + 2]);
      if (p === 38) s.fg = c;
      else s.bg = c;
      i += 2;
    } else if ((p === 38 || p === 48) && params[i + 1] === 2) {
      const c: Rgb = [params[i + 2], params[i + 3], params[i + 4]];
      if (p === 38) s.fg = c;
      else s.bg = c;
      i += 4;
    }
  }
  return s;
}

export function parseAnsi(text: string): Cell[][] {
  const lines: Cell[][] = [];
  let style = plainStyle();
  for (const raw of text.replace(/\n$/, '').split('\n')) {
    const line: Cell[] = [];
    const re = /\x1b\[([0-9;:]*)m|\x1b\[[0-9;?]*[A-Za-z]|([\s\S])/gu;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      if (m[1] !== undefined) style = applySgr(style, m[1] === '' ? [0] : m[1].split(/[;:]/).map(Number));
      else if (m[2] !== undefined) line.push({ ch: m[2], style });
    }
    lines.push(line);
  }
  return lines;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;

function drawCell(r: Raster, x: number, y: number, cell: Cell): void {
  const s = cell.style;
  let fg = s.fg ?? FG;
  let bg = s.bg ?? BG;
  if (s.inverse) [fg, bg] = [bg, fg];
  if (s.dim) fg = mix(bg, fg, 0.55);
  r.fillRect(x, y, CELL_W, CELL_H, bg);
  const ch = cell.ch;
  const shade = { '░': 0.25, '▒': 0.5, '▓': 0.75 }[ch];
  if (ch === '█') r.fillRect(x, y, CELL_W, CELL_H, fg);
  else if (ch === '▀') r.fillRect(x, y, CELL_W, CELL_H / 2, fg);
  else if (ch === '▄') r.fillRect(x, y + CELL_H / 2, CELL_W, CELL_H / 2, fg);
  else if (ch === '▌') r.fillRect(x, y, CELL_W / 2, CELL_H, fg);
  else if (ch === '▐') r.fillRect(x + CELL_W / 2, y, CELL_W / 2, CELL_H, fg);
  else if (shade !== undefined) r.fillRect(x, y, CELL_W, CELL_H, mix(bg, fg, shade));
  else if (ch !== ' ') {
    // Glyph at scale 2, bold drawn twice one pixel apart; descenders use the rows below the baseline.
    const rows = glyphRows(ch);
    const gx0 = x + 1;
    const gy0 = y + 4;
    for (let gy = 0; gy < rows.length; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (!glyphPixel(rows, gx, gy)) continue;
        r.fillRect(gx0 + gx * 2, gy0 + gy * 2, s.bold ? 3 : 2, 2, fg);
      }
    }
  }
  if (s.underline) r.fillRect(x, y + 4 + GLYPH_HEIGHT * 2 + 3, CELL_W, 2, fg);
}

export function renderScreen(lines: Cell[][]): Raster {
  const cols = Math.max(1, ...lines.map((l) => l.length));
  const r = new Raster(cols * CELL_W + 2 * PAD, lines.length * CELL_H + 2 * PAD, BG);
  lines.forEach((line, row) => line.forEach((cell, col) => drawCell(r, PAD + col * CELL_W, PAD + row * CELL_H, cell)));
  return r;
}

function main(argv: string[]): void {
  const [input, output, ...rest] = argv;
  if (!input || !output) {
    process.stderr.write('usage: npx tsx scripts/ansi-to-png.ts SCREEN.ans OUT.png [--crop FIRST-LAST]\n');
    process.exit(2);
  }
  let lines = parseAnsi(readFileSync(input, 'utf8'));
  const crop = rest[0] === '--crop' ? /^(\d+)-(\d+)$/.exec(rest[1] ?? '') : null;
  if (rest[0] === '--crop' && !crop) {
    process.stderr.write('--crop takes FIRST-LAST line numbers, from 1\n');
    process.exit(2);
  }
  if (crop) lines = lines.slice(Number(crop[1]) - 1, Number(crop[2]));
  // Trailing blank lines of the pane add nothing.
  while (lines.length > 1 && lines[lines.length - 1].every((c) => c.ch === ' ' && !c.style.bg)) lines.pop();
  writeFileSync(output, renderScreen(lines).toPng());
  process.stderr.write(`${output}: ${lines.length} lines\n`);
}

main(process.argv.slice(2));
