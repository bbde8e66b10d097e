// The training options are described once (TRAIN_OPTIONS in src/training/config.ts); the train flags,
// train --help, the recipe checks and DEFAULT_TRAIN_CONFIG all come from that description.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/args.ts';
import { TRAIN_FLAGS } from '../../src/cli/commands/train.ts';
import { DEFAULT_TRAIN_CONFIG, kebab, resolveTrainConfig, TRAIN_OPTION_LIST, TRAIN_OPTIONS } from '../../src/training/config.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

const ints = TRAIN_OPTION_LIST.filter((o) => o.type === 'int');
const fractions = TRAIN_OPTION_LIST.filter((o) => o.type === 'number');

describe('one description of each training option', () => {
  it('gives each option its recipe key, its flag (the key in kebab-case) and a default of its type', () => {
    expect(TRAIN_OPTION_LIST.map((o) => o.key)).toEqual(Object.keys(TRAIN_OPTIONS));
    for (const o of TRAIN_OPTION_LIST) {
      expect(o.flag).toBe(kebab(o.key));
      expect(typeof o.default).toBe(o.type === 'int' ? 'number' : o.type);
      expect(o.help.length, o.key).toBeGreaterThan(0);
    }
    expect(ints.map((o) => o.key)).toContain('hiddenSize');
    expect(fractions.map((o) => o.key)).toEqual(expect.arrayContaining(['lr', 'dropout', 'forgetBias', 'maxMinutes']));
  });

  it('DEFAULT_TRAIN_CONFIG holds the described defaults, and they pass the checks', () => {
    expect(DEFAULT_TRAIN_CONFIG).toEqual(Object.fromEntries(TRAIN_OPTION_LIST.map((o) => [o.key, o.default])));
    expect(resolveTrainConfig()).toEqual(DEFAULT_TRAIN_CONFIG);
  });

  it('train --help lists every option with its flag, help text and default', async () => {
    const r = await runInProcess(['train', '--help'], scratchDir('train-help'));
    expect(r.code).toBe(0);
    for (const o of TRAIN_OPTION_LIST) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  --${o.flag} `));
      expect(line, o.flag).toBeDefined();
      expect(line).toContain(o.help);
      expect(line).toContain(`(default: ${o.default})`);
    }
  });

  it('makes one flag per option, an int option a whole-number flag', () => {
    for (const o of TRAIN_OPTION_LIST) expect(TRAIN_FLAGS[o.flag]).toMatchObject({ type: o.type, default: o.default });
    for (const o of ints) expect(() => parseFlags([`--${o.flag}`, '1.5'], TRAIN_FLAGS), o.flag).toThrow(`--${o.flag} must be a whole number (got 1.5)`);
    for (const o of fractions) expect(parseFlags([`--${o.flag}`, '0.5'], TRAIN_FLAGS)[o.flag]).toBe(0.5);
  });

  it.each(ints.map((o) => o.key))('a recipe with a fractional %s is refused on one line', (key) => {
    const o = TRAIN_OPTIONS[key];
    expect(() => resolveTrainConfig({ [key]: 1.5 })).toThrow(`--${kebab(key)} must be a whole number, at least ${o.min ?? 0} (got 1.5)`);
  });

  it('a recipe key that is not an option is refused, even one every object has', () => {
    expect(() => resolveTrainConfig({ hiddenSise: 8 })).toThrow('unknown training option "hidden-sise"');
    expect(() => resolveTrainConfig({ toString: 'x' })).toThrow('unknown training option "to-string"');
  });

  it('a value outside an option\'s bounds or choices names the flag and the value', () => {
    expect(() => resolveTrainConfig({ layers: 17 })).toThrow('--layers must be at most 16 (got 17)');
    expect(() => resolveTrainConfig({ hiddenSize: 5000 })).toThrow('--hidden-size must be at most 4096 (got 5000)');
    expect(() => resolveTrainConfig({ lr: 12 })).toThrow('--lr must be in (0, 10) (got 12)');
    expect(() => resolveTrainConfig({ level: 'byte' })).toThrow('--level must be char or word (got byte)');
    expect(() => resolveTrainConfig({ cell: 'tree' })).toThrow(/^--cell must be lstm, gru, rnn, .* \(got tree\)$/);
    expect(() => resolveTrainConfig({ tieWeights: 'yes' })).toThrow('tie-weights must be a boolean (got "yes")');
  });

  it('train --config refuses a recipe with a fractional whole-number option, one line, status 1', async () => {
    const dir = scratchDir('train-recipe');
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'story.txt'), 'See Spot run. Run, Spot, run!\n'.repeat(50));
    writeFileSync(path.join(dir, 'configs', 'r.json'), JSON.stringify({ data: ['story.txt'], out: 'runs/r.safetensors', batchSize: 2.5 }));
    const r = await runInProcess(['train', '--config', 'configs/r.json'], dir);
    expect(r).toMatchObject({ code: 1, stderr: 'storyteller train: --batch-size must be a whole number, at least 1 (got 2.5)\n' });
  });

  it('a flag overrides the recipe, and an option left out keeps the recipe\'s value rather than the default', async () => {
    const dir = scratchDir('train-override');
    mkdirSync(path.join(dir, 'configs'));
    const recipe = (options: object) => writeFileSync(path.join(dir, 'configs', 'r.json'), JSON.stringify({ data: ['missing.txt'], out: 'runs/r.safetensors', ...options }));
    recipe({ maxSteps: 0 });
    expect(await runInProcess(['train', '--config', 'configs/r.json'], dir)).toMatchObject({ code: 1, stderr: 'storyteller train: --max-steps must be a whole number, at least 1 (got 0)\n' });
    // With the flag the recipe's bad value is gone: what stops the run is the missing data.
    const r = await runInProcess(['train', '--config', 'configs/r.json', '--max-steps', '3'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.txt/);
  });

  it('every recipe key still works as its flag does', () => {
    for (const o of TRAIN_OPTION_LIST) {
      const value = o.type === 'boolean' ? !o.default : o.choices ? o.choices.at(-1)! : o.type === 'string' ? 'other' : o.type === 'int' ? 3 : [0.25, 2].find((v) => !o.rule || o.rule.ok(v))!;
      const fromFlag = o.type === 'boolean' ? [value ? `--${o.flag}` : `--no-${o.flag}`] : [`--${o.flag}`, String(value)];
      expect(parseFlags(fromFlag, TRAIN_FLAGS)[o.flag], o.flag).toEqual(value);
      // Equal sizes, so that --tie-weights may be turned on.
      expect(resolveTrainConfig({ hiddenSize: 48, embeddingSize: 48 }, { [o.key]: value })[o.key], o.key).toEqual(value);
    }
  });
});
