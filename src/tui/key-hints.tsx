// Always-visible reminder of the keys that work in the current mode.
import { wrapSpans, type Span } from './screen-layout.ts';
import type { InputMode } from './story-state.ts';

/** The hint lines for the mode, each wrapped to `width`. */
export function keyHintRows(mode: InputMode, gatesVisible: boolean, width: number): Span[][] {
  return keyHintLines(mode, gatesVisible).flatMap((l) => wrapSpans([{ text: l, dim: true }], width));
}

export function keyHintLines(mode: InputMode, gatesVisible: boolean): string[] {
  return mode === 'prompt'
    ? ['PROMPT: type · Enter tell the story · Esc commands · ←/→ Home/End move · ↑/↓ earlier prompts · Ctrl-U clear']
    : mode === 'path'
      ? ['MODEL PATH: type · Enter load · Esc cancel']
      : gatesVisible
        ? ['←/→ token · ↑/↓ row · PgUp/PgDn page · Home/End first/last · l layer · k kind · e export · g close', 'r regen · c continue · w save · D demos · ? help · q quit']
        : [
            'p prompt · r regen · c continue · g gates · w save · q quit',
            '[ ] temp · { } top-k · ( ) top-p · - + length · ↑↓ PgUp PgDn scroll · ? help',
            's fix seed · n new seed · u unknown · m model · o open · D demos',
          ];
}
