// Fuzz through the real exit path: a smaller number of generated cases run as separate processes of the
// built program (dist/, `npm run build`; `npm test` builds first), so what the in-process fuzz checks of
// main()'s return value also holds for the exit status, stdout and stderr a shell sees.
// Seed and case count: tests/support/fuzz.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.ts';
import { expectClean, fuzz, FUZZ_SUITE } from '../support/fuzz.ts';
import { damagedCheckpoint } from './damage.ts';
import { COMMANDS, commandLine, discoverFlags, inputsOf } from './flag-vectors.ts';
import { makeWorkspace, type Workspace } from './workspace.ts';

let ws: Workspace;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test builds first)`);
  ws = makeWorkspace();
});

function spawnCli(argv: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: ws.dir, encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  if (r.error) throw r.error;
  // A signal (a crash in native code, the timeout) has no status: report it as one.
  return { code: r.status ?? (r.signal ? 128 : -1), stdout: r.stdout, stderr: r.stderr, leakedHandlers: 0 };
}

describe('fuzzed command lines, as separate processes', FUZZ_SUITE, () => {
  it('exit 0-2, one line on failure, never a stack trace', async () => {
    const specs = COMMANDS.filter((c) => ['generate', 'info', 'eval', 'strip', 'train', 'corpus'].includes(c.words[0]!));
    const lines: Array<fc.Arbitrary<string[]>> = [];
    for (const s of specs) lines.push(commandLine(s, await discoverFlags(s.words, ws.dir))); // one at a time: they share stdout
    const flagCases = fc.oneof(...lines).map((argv) => ({ argv, damaged: undefined as Buffer | undefined }));
    const damagedCases = fc.tuple(damagedCheckpoint, fc.constantFrom('info', 'generate')).map(([d, cmd]) => ({ argv: [cmd, '--checkpoint', 'damaged.safetensors'], damaged: d.bytes }));
    const plain = (argv: string[]) => ({ argv, damaged: undefined });
    await fuzz('spawned', fc.oneof({ weight: 3, arbitrary: flagCases }, damagedCases), 30, async ({ argv, damaged }) => {
      if (damaged) writeFileSync(path.join(ws.dir, 'damaged.safetensors'), damaged);
      const r = spawnCli(argv);
      const changed = ws.restore();
      expectClean(r, argv);
      const spec = specs.find((c) => c.words.every((w, i) => argv[i] === w));
      const inputs = damaged ? ['damaged.safetensors'] : spec ? inputsOf(argv, spec) : [];
      const hit = changed.filter((f) => inputs.some((i) => f === path.normalize(i) || f.startsWith(path.normalize(i).replace(/\/$/, '') + '/')));
      if (hit.length) throw new Error(`input file(s) changed: ${hit.join(', ')}\nargv: ${JSON.stringify(argv)}`);
      return `exit ${r.code}`;
    }, [plain(['constructor']), plain(['strip', '--checkpoint', 'model.safetensors', '--out', 'stories']), plain(['generate', '--checkpoint', 'nope.safetensors'])]);
    // The launcher's own paths: no command, --help, an unknown command.
    expect(spawnCli([]).code).toBe(2);
    expect(spawnCli(['--help']).code).toBe(0);
  });
});
