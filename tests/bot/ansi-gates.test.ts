import { describe, expect, test } from 'vitest';
import { ansiColour, DISCORD_MESSAGE_LIMIT, renderAnsiGates } from '../../src/discord/ansi-gates.ts';
import { discordAnsi, discordLegend } from '../../src/render/colors.ts';

// A test palette with a distinct code per tenth, so colour mistakes cannot hide behind a coarse scale.
const tenths = (v: number) => 30 + Math.min(7, Math.floor(v * 8));

/** The coloured runs inside the ```ansi block (after the legend line, if any). */
function runsOf(content: string, legend = false): Array<{ code: number; text: string }> {
  const start = content.indexOf('```ansi\n') + '```ansi\n'.length;
  let body = content.slice(start, content.lastIndexOf('\n```'));
  if (legend) body = body.slice(body.indexOf('\n') + 1);
  body = body.replace(/\u001b\[0m/g, '');
  const parts = body.split(/\u001b\[0;(\d+)m/);
  const runs: Array<{ code: number; text: string }> = [];
  for (let i = 1; i < parts.length; i += 2) runs.push({ code: Number(parts[i]), text: parts[i + 1] });
  return runs;
}

function story(n: number, seed = 1) {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = ['Spot', ' ran', ' to', ' Jane', '.', ' See', ' the', ' big', ' red', ' ball', '!', '\n'];
  const tokens = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]);
  const values = tokens.map(() => rand());
  return { tokens, values };
}

describe('renderAnsiGates', () => {
  test('a short story is shown whole, inside an ansi code block', () => {
    const { tokens, values } = story(20);
    const block = renderAnsiGates({ tokens, values, colour: tenths });
    expect(block.shown).toBe(20);
    expect(block.content.startsWith('```ansi\n')).toBe(true);
    expect(block.content.endsWith('\n```')).toBe(true);
    expect(runsOf(block.content).map((r) => r.text).join('')).toBe(tokens.join(''));
  });

  test('every token carries the colour of its value', () => {
    const { tokens, values } = story(60, 7);
    const runs = runsOf(renderAnsiGates({ tokens, values, colour: tenths }).content);
    // Expand runs back to per-token codes by walking the token texts.
    const codes: number[] = [];
    let r = 0;
    let offset = 0;
    for (const t of tokens) {
      while (offset >= runs[r].text.length) {
        r++;
        offset = 0;
      }
      codes.push(runs[r].code);
      offset += t.length;
    }
    expect(codes).toEqual(values.map(tenths));
  });

  test('neighbouring tokens of one colour share a single escape code', () => {
    const tokens = ['a', 'b', 'c', 'd', 'e'];
    const values = [0.05, 0.06, 0.9, 0.95, 0.05];
    const runs = runsOf(renderAnsiGates({ tokens, values, colour: tenths }).content);
    expect(runs).toEqual([
      { code: tenths(0.05), text: 'ab' },
      { code: tenths(0.9), text: 'cd' },
      { code: tenths(0.05), text: 'e' },
    ]);
  });

  test.each([50, 200, 400, 1000, 3000])('never exceeds 2,000 characters including fences and escapes (%i tokens)', (n) => {
    const { tokens, values } = story(n, n);
    const block = renderAnsiGates({ tokens, values, colour: tenths, header: 'Forget gate, layer 2 of 2' });
    expect(block.content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
  });

  test('worst case of a colour change at every token stays within the budget', () => {
    const tokens = Array.from({ length: 800 }, () => 'x');
    const values = tokens.map((_, i) => (i % 2 ? 0.05 : 0.95));
    const block = renderAnsiGates({ tokens, values, colour: tenths });
    expect(block.content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(block.shown).toBeLessThan(800);
  });

  test('a long story is cut at a token boundary, ends with an ellipsis and says how much is shown', () => {
    const { tokens, values } = story(1000, 3);
    const block = renderAnsiGates({ tokens, values, colour: tenths });
    expect(block.shown).toBeLessThan(1000);
    const text = runsOf(block.content).map((r) => r.text).join('');
    expect(text).toBe(tokens.slice(0, block.shown).join('') + '…');
    expect(block.content).toMatch(new RegExp(`showing the first ${block.shown} of 1000 tokens$`));
  });

  test('a cut story uses the budget, leaving less than one token (plus escape) unused', () => {
    const { tokens, values } = story(1000, 5);
    const block = renderAnsiGates({ tokens, values, colour: tenths });
    const longestPiece = Math.max(...tokens.map((t) => t.length)) + ansiColour(37).length;
    // The note is reserved at its longest (4-digit shown count); allow those digits too.
    expect(block.content.length).toBeGreaterThan(DISCORD_MESSAGE_LIMIT - longestPiece - 3);
  });

  test('the header and legend count against the budget', () => {
    const { tokens, values } = story(1000, 9);
    const header = 'H'.repeat(300);
    const legend = { low: 'forgetting', stops: [0, 0.5, 1].map((v) => ({ code: tenths(v), label: v.toFixed(1) })), high: 'remembering' };
    const block = renderAnsiGates({ tokens, values, colour: tenths, header, legend });
    expect(block.content.startsWith(`${header}\n\`\`\`ansi\nforgetting `)).toBe(true);
    expect(block.content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(runsOf(block.content, true).map((r) => r.text).join('')).toBe(tokens.slice(0, block.shown).join('') + '…');
  });

  test('a smaller budget is honoured too', () => {
    const { tokens, values } = story(300, 11);
    expect(renderAnsiGates({ tokens, values, colour: tenths, budget: 500 }).content.length).toBeLessThanOrEqual(500);
  });

  test('backticks in tokens cannot close the code block early', () => {
    const block = renderAnsiGates({ tokens: ['a', '```', 'b'], values: [0.1, 0.1, 0.1], colour: tenths });
    expect(block.content.match(/```/g)).toHaveLength(2);
  });

  test('with the Discord palette, remembering and forgetting tokens get the palette colours', () => {
    const tokens = ['low', 'high'];
    const runs = runsOf(renderAnsiGates({ tokens, values: [0.02, 0.98], colour: (v) => discordAnsi(v, 'forget') }).content);
    const legend = discordLegend('forget');
    expect(runs).toEqual([
      { code: legend[0].symbol, text: 'low' },
      { code: legend[legend.length - 1].symbol, text: 'high' },
    ]);
    expect(runs[0].code).not.toBe(runs[1].code);
  });

  test('rejects values that do not match the tokens', () => {
    expect(() => renderAnsiGates({ tokens: ['a'], values: [], colour: tenths })).toThrow(RangeError);
  });
});
