import { describe, expect, test } from 'vitest';
import { detectColor } from '../../src/tui/color-context.ts';

const stream = (colors: boolean) => ({ hasColors: () => colors }) as unknown as NodeJS.WriteStream;

describe('colour detection', () => {
  test('NO_COLOR turns colour off even on a colour terminal', () => {
    expect(detectColor(stream(true), { NO_COLOR: '1' })).toBe(false);
  });

  test('a terminal without colour gets the shade fallback', () => {
    expect(detectColor(stream(false), {})).toBe(false);
  });

  test('a colour terminal gets colour', () => {
    expect(detectColor(stream(true), {})).toBe(true);
  });

  test('FORCE_COLOR turns colour on where the terminal cannot tell', () => {
    expect(detectColor(stream(false), { FORCE_COLOR: '1' })).toBe(true);
  });
});
