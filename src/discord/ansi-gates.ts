// The forget-gate view as a Discord ```ansi block. Discord caps a message at 2,000 characters and every
// colour change costs an escape sequence, so the block is assembled against a budget: runs of one colour
// share one escape, and when the story does not fit it is cut at a token boundary with a note saying so.
import { codeBlockText } from './sanitize.ts';

export const DISCORD_MESSAGE_LIMIT = 2000;
const FENCE_OPEN = '```ansi\n';
const FENCE_CLOSE = '\n```';
const RESET = '\u001b[0m';
const ELLIPSIS = '…';

/** Discord's ANSI flavour: reset, then one foreground colour (30-37). */
export function ansiColour(code: number): string {
  return `\u001b[0;${code}m`;
}

export interface AnsiGatesInput {
  /** Token texts in order. */
  tokens: string[];
  /** One value per token (mean forget-gate activation, 0..1). */
  values: number[];
  /** Maps a value to a foreground code 30-37. */
  colour: (v: number) => number;
  /** Line(s) above the block; counted against the budget. */
  header?: string;
  /** Colour key shown as the block's first line, e.g. low words, coloured stops, high words. */
  legend?: { low: string; stops: Array<{ code: number; label: string }>; high: string };
  budget?: number;
}

export interface AnsiGatesBlock {
  content: string;
  /** Tokens shown (a prefix of the input). */
  shown: number;
  total: number;
}

function legendLine(legend: NonNullable<AnsiGatesInput['legend']>): string {
  const stops = legend.stops.map((s) => `${ansiColour(s.code)}${codeBlockText(s.label)}`).join(' ');
  return `${codeBlockText(legend.low)} ${stops}${RESET} ${codeBlockText(legend.high)}\n`;
}

function truncationNote(shown: number, total: number): string {
  return `\n-# showing the first ${shown} of ${total} tokens`;
}

export function renderAnsiGates(input: AnsiGatesInput): AnsiGatesBlock {
  const { tokens, values, colour } = input;
  if (tokens.length !== values.length) throw new RangeError(`tokens (${tokens.length}) and values (${values.length}) differ in length`);
  const budget = input.budget ?? DISCORD_MESSAGE_LIMIT;
  const prefix = (input.header ? `${input.header}\n` : '') + FENCE_OPEN + (input.legend ? legendLine(input.legend) : '');

  // Each piece is one token's text, led by an escape only where the colour changes.
  const pieces: string[] = [];
  let current = -1;
  for (let i = 0; i < tokens.length; i++) {
    const code = colour(values[i]);
    pieces.push((code === current ? '' : ansiColour(code)) + codeBlockText(tokens[i]));
    current = code;
  }

  const whole = RESET + FENCE_CLOSE;
  const fullLength = prefix.length + pieces.reduce((n, p) => n + p.length, 0) + whole.length;
  if (fullLength <= budget) {
    return { content: prefix + pieces.join('') + whole, shown: tokens.length, total: tokens.length };
  }

  // Reserve room for the longest note this truncation could need, then take whole tokens while they fit.
  const reserved = prefix.length + RESET.length + ELLIPSIS.length + FENCE_CLOSE.length + truncationNote(tokens.length, tokens.length).length;
  let used = reserved;
  let shown = 0;
  while (shown < pieces.length && used + pieces[shown].length <= budget) used += pieces[shown++].length;
  if (reserved > budget) throw new RangeError(`the header alone exceeds the ${budget}-character budget`);
  const content = prefix + pieces.slice(0, shown).join('') + RESET + ELLIPSIS + FENCE_CLOSE + truncationNote(shown, tokens.length);
  return { content, shown, total: tokens.length };
}
