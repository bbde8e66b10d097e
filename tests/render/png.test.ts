import { describe, expect, it } from 'vitest';
import { encodePng, PNG_SIGNATURE } from '../../src/render/png.ts';
import { readPng } from './decode-png.ts';

/** The chunk types in file order (each chunk: length u32, type, data, CRC). */
function chunkTypes(file: Buffer): string[] {
  const types: string[] = [];
  for (let pos = PNG_SIGNATURE.length; pos < file.length; pos += 12 + file.readUInt32BE(pos)) types.push(file.toString('ascii', pos + 4, pos + 8));
  return types;
}

function randomImage(w: number, h: number, seed = 1): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = s >>> 24;
  }
  return px;
}

describe('encodePng', () => {
  it('writes IHDR, IDAT and IEND chunks with valid CRCs after the signature', () => {
    const file = encodePng(3, 2, randomImage(3, 2));
    expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(chunkTypes(file)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(() => readPng(file)).not.toThrow(); // pngjs checks every CRC
    const damaged = Buffer.from(file);
    damaged[damaged.length - 1]! ^= 1; // the last byte of IEND's CRC
    expect(() => readPng(damaged)).toThrow(/crc/i);
  });

  it('round-trips arbitrary RGBA pixels exactly', () => {
    const px = randomImage(17, 9);
    const png = readPng(encodePng(17, 9, px));
    expect([png.width, png.height]).toEqual([17, 9]);
    expect(Buffer.from(png.data).equals(Buffer.from(px))).toBe(true);
  });

  it('round-trips smooth images, where Sub and Up filters are chosen', () => {
    const w = 40;
    const h = 30;
    const px = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) px.set([x * 6, y * 8, (x + y) * 3, 255], (y * w + x) * 4);
    }
    const encoded = encodePng(w, h, px);
    expect(Buffer.from(readPng(encoded).data).equals(Buffer.from(px))).toBe(true);
    expect(encoded.length).toBeLessThan(px.length / 4);
  });

  it('rejects a pixel buffer of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/expected 2×2×4 = 16/);
  });

  it('rejects a zero or fractional size', () => {
    expect(() => encodePng(0, 1, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodePng(1.5, 1, new Uint8Array(6))).toThrow(RangeError);
  });
});
