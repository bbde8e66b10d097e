// The full key reference, shown over the story with `?`.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import { RULE_TEXT, SUGGEST_RULES } from '../render/unit-suggest.ts';
import { wrapSegments } from './screen-layout.ts';

const KEYS: Array<[string, string]> = [
  ['p or /', 'edit the prompt (Enter generates, Esc leaves the input); pasted text opens it too'],
  ['in the prompt', '←/→ Home/End (Ctrl-A/E) move, ↑/↓ earlier prompts, Ctrl-U/K/W delete'],
  ['r', 'regenerate from the prompt'],
  ['c', 'continue the story'],
  ['[ ] or t T', 'temperature down / up'],
  ['{ }', 'top-k down / up (off = all tokens)'],
  ['( )', 'top-p down / up (off = 1)'],
  ['- +', 'story length down / up'],
  ['s', 'fix the seed (r repeats the story) or free it'],
  ['n', 'draw a new seed and fix it'],
  ['u', 'unknown prompt characters: replace, skip or error'],
  ['m', 'next model in the models folder (all of them in turn, retelling the story)'],
  ['o', 'open a checkpoint by path'],
  ['g', 'forget-gate view on / off'],
  ['↑ ↓ PgUp PgDn', 'scroll the story a line / a page (gate view: move the cursor)'],
  ['Home End', 'top / end of the story (gate view: first / last token)'],
  ['← →', 'gate view: move the token cursor (Shift: 10 tokens)'],
  ['l / k K', 'next layer / next or previous kind (forget, input, output, cell)'],
  ['v', 'gate view: colour by a summary over all units: mean, share of units below 0.5 (f: forgetting), change from the previous token; from a unit, back to the summary'],
  ['< >', 'gate view: colour by the previous / next suggested unit (its number is ◆ on the strip)'],
  [', .', 'gate view: colour by the previous / next unit by number'],
  ['x', `gate view: how units are suggested: ${SUGGEST_RULES.map((r) => `${r}: ${RULE_TEXT[r]}`).join('; ')}`],
  ['b', 'gate view: mark a span from the cursor, move with ← →, b ends it (the span rule then suggests units), b again clears'],
  ['z', 'gate view: colour scale: 5th–95th percentile of the story, its min–max, or fixed (gates 0–1, cells ±1); the legend prints the range'],
  ['e', 'gate view: export the gate heatmap as SVG and PNG'],
  ['Esc', 'close the gate view, this help or an input'],
  ['w', 'save the story (.txt) and its gates (.gates.json)'],
  ['D', 'teaching demos: long dependency, vanishing gradients, share prices, "X saw X."'],
  ['E', 'long-dependency episode: "I grew up in France. … I speak fluent" on the long-dependency LSTM, ready to edit'],
  ['q, Ctrl-C', 'quit'],
];

const KEY_COLUMN = 14;
/** Border (2 rows, 2 columns), padding (2 columns) and the title row around the key lines. */
const FRAME_ROWS = 3;

/** The key lines wrapped to the help box's width: [key column, description] per row. */
export function helpLines(width: number): Array<[string, string]> {
  const text = Math.max(10, width - 4 - KEY_COLUMN);
  return KEYS.flatMap(([k, what]) => wrapSegments([what], text).map((r, i): [string, string] => [i === 0 ? k : '', r.map((p) => p.text).join('').trimEnd()]));
}

/** Rows the help takes when shown whole. */
export function helpHeight(width: number): number {
  return helpLines(width).length + FRAME_ROWS;
}

/** The help box, `width` wide and at most `maxRows` high; `top` is the first key line shown. */
export function HelpOverlay({ width, maxRows, top }: { width: number; maxRows: number; top: number }) {
  const on = useColor();
  const lines = helpLines(width);
  const room = Math.max(1, maxRows - FRAME_ROWS);
  const start = Math.max(0, Math.min(top, lines.length - room));
  const shown = lines.slice(start, start + room);
  const more = lines.length > room ? ` · lines ${start + 1}-${start + shown.length} of ${lines.length}, ↑/↓ PgUp/PgDn scroll` : '';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width} flexShrink={0}>
      <Text bold wrap="truncate">
        Keys (q quits, any other key closes this help){more}
      </Text>
      {shown.map(([k, what], i) => (
        <Text key={start + i} wrap="truncate">
          <Text color={tint(on, 'cyan')}>{k.padEnd(KEY_COLUMN)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
