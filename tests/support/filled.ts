/** n floats in [-1.5, 1.5) from a fixed linear congruential sequence: the same matrix on every run and machine. */
export function filled(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * 3;
  }
  return a;
}
