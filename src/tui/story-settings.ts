// The story screen's sampling settings (temperature, top-k, top-p, length, unknown-token policy, seed) and
// the ladders the keys step them along.
import type { UnknownPolicy } from '../generation/events.ts';

export interface Settings {
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  length: number;
  unknown: UnknownPolicy;
  /** Seed of the last story, or the one the next story will use when fixed. */
  seed?: string;
  /** When fixed, r regenerates the same story; otherwise every story draws a fresh seed. */
  seedFixed: boolean;
}

export const TOP_K_STEPS = [0, 1, 2, 3, 5, 10, 20, 40];
export const TOP_P_STEPS = [0.5, 0.7, 0.8, 0.9, 0.95, 1];
// 600 is npm start's default length, so - then + comes back to it.
export const LENGTH_STEPS = [25, 50, 100, 200, 400, 600, 800, 1200, 1600, 3200];
const UNKNOWN_POLICIES: UnknownPolicy[] = ['replace', 'skip', 'error'];
const TEMPERATURE_STEP = 0.1;
const MAX_TEMPERATURE = 3;


/** The unknown-token policy after `current`, round the three. */
export function nextUnknownPolicy(current: UnknownPolicy): UnknownPolicy {
  return UNKNOWN_POLICIES[(UNKNOWN_POLICIES.indexOf(current) + 1) % UNKNOWN_POLICIES.length];
}

export function adjustSetting(st: Settings, setting: 'temperature' | 'topK' | 'topP' | 'length', dir: 1 | -1): Settings {
  switch (setting) {
    case 'temperature': {
      const t = Math.round((st.temperature + dir * TEMPERATURE_STEP) * 10) / 10;
      return { ...st, temperature: clamp(t, 0, MAX_TEMPERATURE) };
    }
    case 'topK':
      return { ...st, topK: step(TOP_K_STEPS, st.topK, dir) };
    case 'topP':
      return { ...st, topP: step(TOP_P_STEPS, st.topP, dir) };
    case 'length':
      return { ...st, length: step(LENGTH_STEPS, st.length, dir) };
  }
}

/** Moves to the neighbouring step of a ladder; values off the ladder snap to the nearest step that way. */
export function step(ladder: number[], value: number, dir: 1 | -1): number {
  if (dir > 0) return ladder.find((v) => v > value) ?? ladder[ladder.length - 1];
  return [...ladder].reverse().find((v) => v < value) ?? ladder[0];
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
