// Minimal PNG writer: 8-bit RGBA, no interlacing, one IDAT chunk. Enough for pictures we draw ourselves.
// Layout (PNG spec §5): 8-byte signature, then chunks of [length u32 BE][type 4 ASCII][data][CRC32 of type+data].

import { crc32, deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Filtered scanlines: each row is prefixed by its filter byte. Per row we keep whichever of None, Sub and Up
 * has the smallest sum of absolute (signed) bytes — the usual heuristic; heatmap cells are flat runs
 * horizontally (Sub → zeros) and repeat vertically (Up → zeros), which is what keeps big maps small.
 */
function filterRows(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const stride = width * 4;
  const out = new Uint8Array(height * (stride + 1));
  const sub = new Uint8Array(stride);
  const up = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const prev = row - stride;
    let costNone = 0;
    let costSub = 0;
    let costUp = 0;
    for (let i = 0; i < stride; i++) {
      const x = rgba[row + i]!;
      const s = (x - (i >= 4 ? rgba[row + i - 4]! : 0)) & 0xff;
      const u = (x - (y > 0 ? rgba[prev + i]! : 0)) & 0xff;
      sub[i] = s;
      up[i] = u;
      costNone += x < 128 ? x : 256 - x;
      costSub += s < 128 ? s : 256 - s;
      costUp += u < 128 ? u : 256 - u;
    }
    const at = y * (stride + 1);
    if (costSub <= costUp && costSub < costNone) {
      out[at] = 1;
      out.set(sub, at + 1);
    } else if (costUp < costNone) {
      out[at] = 2;
      out.set(up, at + 1);
    } else {
      out[at] = 0;
      out.set(rgba.subarray(row, row + stride), at + 1);
    }
  }
  return out;
}

/** Encode an RGBA image (row-major, 4 bytes per pixel, top row first) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}×${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`PNG pixel buffer has ${rgba.length} bytes, expected ${width}×${height}×4 = ${width * height * 4}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive
  ihdr[12] = 0; // no interlace
  const idat = deflateSync(filterRows(width, height, rgba), { level: 6 });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}
