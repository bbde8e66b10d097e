// Every command parses its flags with src/cli/args.ts: an unknown flag, a missing value or a stray
// argument reads the same in `corpus` (both subcommands), `train`, `generate` and the rest.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const dir = scratchDir('one-parser');
writeFileSync(path.join(dir, 'one.txt'), 'See Spot run.\n');

async function stderrOf(argv: string[]) {
  const r = await runInProcess(argv, dir);
  return { code: r.code, stderr: r.stderr };
}

describe('one parser for every command', () => {
  it.each(['corpus stats', 'corpus fetch', 'train', 'generate', 'eval', 'info', 'stories', 'bench'])('%s: an unknown flag is one line, "unknown flag --bogus (see --help)", status 1', async (command) => {
    const argv = command.split(' ');
    expect(await stderrOf([...argv, '--bogus'])).toEqual({ code: 1, stderr: `storyteller ${argv[0]}: unknown flag --bogus (see --help)\n` });
  });

  it('corpus fetch and stats name a missing value and a value for a flag that takes none as train does', async () => {
    expect(await stderrOf(['corpus', 'fetch', '11', '--out'])).toEqual({ code: 1, stderr: 'storyteller corpus: --out needs a value\n' });
    expect(await stderrOf(['corpus', 'stats', '--json=yes', 'one.txt'])).toEqual({ code: 1, stderr: 'storyteller corpus: --json takes no value\n' });
    expect(await stderrOf(['train', '--json=yes'])).toEqual({ code: 1, stderr: 'storyteller train: --json takes no value\n' });
  });

  it('corpus stats takes its flags before or after the files', async () => {
    const before = await runInProcess(['corpus', 'stats', '--json', 'one.txt'], dir);
    const after = await runInProcess(['corpus', 'stats', 'one.txt', '--json'], dir);
    expect(before.code).toBe(0);
    expect(after.stdout).toBe(before.stdout);
  });

  it('corpus stats --help lists its flags; corpus --help shows both subcommands', async () => {
    const sub = await runInProcess(['corpus', 'stats', '--help'], dir);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^usage: storyteller corpus stats/);
    expect(sub.stdout).toMatch(/^ {2}--json {2}/m);
    const fetch = await runInProcess(['corpus', 'fetch', '-h'], dir);
    expect(fetch.stdout).toMatch(/^ {2}--out VALUE .*corpora\/gutenberg/m);
    expect(fetch.stdout).toMatch(/^ {2}--base-url VALUE/m);
    const all = await runInProcess(['corpus', '--help'], dir);
    expect(all.stdout).toMatch(/storyteller corpus fetch[\s\S]*storyteller corpus stats/);
  });
});
