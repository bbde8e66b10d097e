// The full key reference, shown over the story with `?`.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { tint, useColor } from './color-context.ts';

const KEYS: Array<[string, string]> = [
  ['p or /', 'edit the prompt (Enter generates, Esc leaves the input)'],
  ['r', 'regenerate from the prompt'],
  ['c', 'continue the story'],
  ['[ ] or t T', 'temperature down / up'],
  ['{ }', 'top-k down / up (off = all tokens)'],
  ['( )', 'top-p down / up (off = 1)'],
  ['- +', 'story length down / up'],
  ['s', 'fix the seed (r repeats the story) or free it'],
  ['n', 'draw a new seed and fix it'],
  ['u', 'unknown prompt characters: replace, skip or error'],
  ['m', 'switch to the next model in the models folder'],
  ['o', 'open a checkpoint by path'],
  ['g', 'forget-gate view on / off'],
  ['← →', 'move the token cursor (Shift: 10 tokens)'],
  ['l / k', 'next layer / next kind (forget, input, output, cell)'],
  ['e', 'export the gate heatmap as SVG and PNG'],
  ['w', 'save the story (.txt) and its gates (.gates.json)'],
  ['D', 'teaching demos: long dependency, vanishing gradients, share prices, "X saw X."'],
  ['q, Ctrl-C', 'quit'],
];

export function HelpOverlay() {
  const on = useColor();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys (q quits, any other key closes this help)</Text>
      {KEYS.map(([k, what]) => (
        <Text key={k} wrap="wrap">
          <Text color={tint(on, 'cyan')}>{k.padEnd(11)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
