// A flag's value missing at the end of the line or before another flag is one problem with one wording,
// whatever Node's parser calls it; so is a value given to a flag that takes none.
import { describe, expect, it } from 'vitest';
import { parseFlags, type Flags } from '../../src/cli/args.ts';

const FLAGS: Flags = { data: { type: 'string', help: '' }, json: { type: 'boolean', help: '' } };
const messageOf = (argv: string[]) => {
  try {
    parseFlags(argv, FLAGS);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('flag messages', () => {
  it('a missing value reads the same at the end and before another flag', () => {
    expect(messageOf(['--data'])).toBe('--data needs a value');
    expect(messageOf(['--data', '--json'])).toBe('--data needs a value');
  });

  it('a value for a flag that takes none is named plainly', () => {
    expect(messageOf(['--json=yes'])).toBe('--json takes no value');
  });
});
