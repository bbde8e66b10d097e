// 16-bit floats for checkpoints: IEEE half (F16) and bfloat16 (BF16), stored as uint16 bit patterns and widened
// to Float32 on load. Narrowing rounds to nearest, ties to even, as PyTorch's .half() and .bfloat16() do.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toBfloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7f800000) === 0x7f800000 && b & 0x007fffff) return (b >>> 16) | 0x0040; // NaN stays NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

export function fromBfloat16Bits(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

export function toHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x007fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x00800000; // subnormal half: shift the implicit bit in, then round
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = mant + half - 1 + ((mant >>> shift) & 1);
    return sign | (rounded >>> shift);
  }
  const rounded = mant + 0x0fff + ((mant >>> 13) & 1);
  // A carry out of the mantissa bumps the exponent, which the addition below does by itself.
  return (sign | ((e << 10) + (rounded >>> 13))) & 0xffff;
}

export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

let halfTable: Float32Array | undefined;

/**
 * Widens a tensor of 16-bit patterns to Float32, the values fromHalfBits / fromBfloat16Bits give, without a
 * function call per element (a checkpoint holds millions: loading time is what `npm start` waits for).
 */
export function widen16(dtype: 'F16' | 'BF16', bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  if (dtype === 'BF16') {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) u[i] = bits[i] << 16;
  } else {
    const table = (halfTable ??= Float32Array.from({ length: 65536 }, (_, h) => fromHalfBits(h)));
    for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  }
  return out;
}
