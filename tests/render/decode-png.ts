// PNG files in the tests are decoded by pngjs, a maintained decoder independent of src/render/png.ts: it
// checks the signature and every chunk's CRC and undoes all five scanline filters.
import { PNG } from 'pngjs';

export type DecodedPng = PNG;

/** The decoded image: width, height and `data`, RGBA, 4 bytes per pixel, top row first. */
export function readPng(file: Buffer): DecodedPng {
  return PNG.sync.read(file);
}

export function pixelAt(png: DecodedPng, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
}
