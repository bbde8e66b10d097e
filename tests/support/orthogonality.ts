// How far a square block of a row-major matrix is from orthogonal.
/** Largest |(A·Aᵀ − I)ᵢⱼ| of an n×n row-major block. */
export function orthogonalityError(w: ArrayLike<number>, offset: number, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += w[offset + i * n + k]! * w[offset + j * n + k]!;
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return worst;
}
