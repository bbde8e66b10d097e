// A seeded random stream whose full state can be saved in a checkpoint and restored, so a resumed run
// draws exactly the numbers an uninterrupted run would have drawn.
import seedrandom from 'seedrandom';

export type RngState = object;

export class Rng {
  // seedrandom's typings lag its runtime (alea accepts a saved state object), hence the loose type.
  private prng: { (): number; state(): object };
  constructor(seed: string, state?: RngState) {
    const alea = seedrandom.alea as unknown as (s: string, o: { state: object | boolean }) => Rng['prng'];
    this.prng = alea(seed, { state: state ?? true });
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.prng())) * Math.cos(2 * Math.PI * this.prng());
  }
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }
  state(): RngState {
    return this.prng.state();
  }
}

/** A random seed for users who gave none: short, readable, reportable. */
export function randomSeed(): string {
  return Math.floor(Math.random() * 1e9).toString(36);
}
