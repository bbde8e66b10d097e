// One name for the model a command reads: --checkpoint everywhere, --model accepted as its alias, and the
// shipped file found by its file name as well as by its model name.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../../src/cli/args.ts';
import { MODELS_DIR, resolveModelPath } from '../../src/models.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const FLAGS: Flags = { checkpoint: checkpointFlag('tales-char'), length: { type: 'int', help: '' } };

describe('--checkpoint and its alias --model', () => {
  it('both names set the same flag; the default stays when neither is given', () => {
    expect(parseFlags(['--checkpoint', 'a'], FLAGS).checkpoint).toBe('a');
    expect(parseFlags(['--model', 'b'], FLAGS).checkpoint).toBe('b');
    expect(parseFlags(['--model=-dash.safetensors'], FLAGS).checkpoint).toBe('-dash.safetensors');
    expect(parseFlags([], FLAGS).checkpoint).toBe('tales-char');
  });

  it('giving both is refused in one line', () => {
    expect(() => parseFlags(['--model', 'a', '--checkpoint', 'b'], FLAGS)).toThrow('--model and --checkpoint are one flag; give it once');
  });

  it('help names the alias beside the flag', () => {
    expect(helpText('usage', FLAGS)).toMatch(/--checkpoint VALUE\s+model name in models\/ or a \.safetensors path \(default: tales-char\) \(also --model\)/);
  });

  it('every command that reads a model takes both names', async () => {
    const cwd = scratchDir('checkpoint-flag');
    for (const name of ['--checkpoint', '--model']) {
      for (const words of [['info'], ['generate', '--length', '5', '--seed', '1'], ['start', '--length', '5', '--seed', '1']]) {
        const r = await runInProcess([...words, name, 'doug-jane-spot'], cwd);
        expect(r.code, `${words[0]} ${name}: ${r.stderr}`).toBe(0);
      }
    }
  });
});

describe('resolveModelPath', () => {
  it('a bare file name of a shipped model finds it in models/', () => {
    const cwd = scratchDir('checkpoint-flag');
    const saved = process.cwd();
    process.chdir(cwd);
    try {
      expect(resolveModelPath('tales-char.safetensors')).toBe(path.join(MODELS_DIR, 'tales-char.safetensors'));
      expect(resolveModelPath('tales-char')).toBe(path.join(MODELS_DIR, 'tales-char.safetensors'));
      // A file that is nowhere stays as given, so the error names what the user typed.
      expect(resolveModelPath('nowhere.safetensors')).toBe('nowhere.safetensors');
      // A file of that name in the working folder wins: the user's own file is never shadowed.
      copyFileSync(path.join(MODELS_DIR, 'doug-jane-spot.safetensors'), path.join(cwd, 'tales-char.safetensors'));
      expect(resolveModelPath('tales-char.safetensors')).toBe('tales-char.safetensors');
    } finally {
      process.chdir(saved);
    }
  });

  it('generate --checkpoint tales-char.safetensors tells the story of the shipped model', async () => {
    const cwd = scratchDir('checkpoint-flag');
    const args = ['generate', '--length', '20', '--seed', '3'];
    const byFile = await runInProcess([...args, '--checkpoint', 'tales-char.safetensors'], cwd);
    const byName = await runInProcess([...args, '--checkpoint', 'tales-char'], cwd);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(byFile.stdout).toBe(byName.stdout);
  });
});
