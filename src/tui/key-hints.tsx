// Always-visible reminder of the keys that work in the current mode.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import type { InputMode } from './story-state.ts';

export function KeyHints({ mode, gatesVisible }: { mode: InputMode; gatesVisible: boolean }) {
  const lines = keyHintLines(mode, gatesVisible);
  return (
    <>
      {lines.map((l) => (
        <Text key={l} dimColor wrap="wrap">
          {l}
        </Text>
      ))}
    </>
  );
}

/** The hint lines, also counted by the story screen to budget its height. */
export function keyHintLines(mode: InputMode, gatesVisible: boolean): string[] {
  return mode === 'prompt'
    ? ['PROMPT: type · Enter generate · Esc commands · Ctrl-U clear']
    : mode === 'path'
      ? ['MODEL PATH: type · Enter load · Esc cancel']
      : gatesVisible
        ? ['←/→ token · l layer · k kind · e export · g close', 'r regen · c continue · w save · D demos · ? help · q quit']
        : [
            'p prompt · r regen · c continue · g gates · w save · q quit',
            '[ ] temp · { } top-k · ( ) top-p · - + length · ? help',
            's fix seed · n new seed · u unknown · m model · o open · D demos',
          ];
}
