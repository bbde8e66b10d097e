// bench --threads takes a list of thread counts; anything else is one line naming the flag.
import { describe, expect, it } from 'vitest';
import { parseThreadList } from '../../src/cli/commands/bench.ts';

describe('bench --threads', () => {
  it('reads a comma-separated list in order, without repeats', () => {
    expect(parseThreadList('1,2,4')).toEqual([1, 2, 4]);
    expect(parseThreadList(' 2 , 1,2 ')).toEqual([2, 1]);
    expect(parseThreadList('7')).toEqual([7]);
  });

  it.each(['', ',', '0', '1,0', 'two', '1.5', '65'])('refuses %j on one line', (raw) => {
    expect(() => parseThreadList(raw)).toThrow(/^--threads (must be a whole number from 1 to 64|needs one or more thread counts)/);
  });
});
