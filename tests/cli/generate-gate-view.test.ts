// storyteller generate's gate files show what the terminal's gate view shows: the prompt, one unit or a summary,
// a kind, and the colour scale.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gen-gates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROMPT = 'I grew up in Denmark. Sally has a red ball. I speak fluent Danish.';
const base = ['generate', '--checkpoint', 'long-dep-lstm', '--prime', PROMPT, '--length', '20', '--seed', '1'];

describe('generate --gates-json/--gates-svg with a view', () => {
  it('writes the prompt, the unit values of the kind asked for and their fitted scale, and a picture with the unit strip', async () => {
    const r = await runInProcess([...base, '--gates-json', 'g.json', '--gates-svg', 'g', '--unit', '24', '--kind', 'cell', '--scale', 'range'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    expect(j.prompt.map((t: { text: string }) => t.text).join('')).toBe(PROMPT);
    expect(j.tokens).toHaveLength(20);
    expect(j.view).toMatchObject({ layer: 1, kind: 'cell', focus: { unit: 24 }, scale: { mode: 'range' } });
    const all = [...j.prompt, ...j.tokens].map((t: { gates: Array<{ cell: number[] }> }) => t.gates[0].cell[24]);
    expect(j.view.values).toEqual(all);
    expect(j.view.scale.lo).toBe(Math.min(...all));
    expect(j.view.scale.hi).toBe(Math.max(...all));
    const svg = readFileSync(join(dir, 'g.svg'), 'utf8');
    expect(svg).toContain('top strip: unit 24 cell state');
    expect(svg).toContain('cell state, layer 1');
    expect(svg).toContain(`${PROMPT.length + 20} tokens`);
  });

  it('colours by a summary when asked', async () => {
    const r = await runInProcess([...base, '--gates-json', 's.json', '--summary', 'share'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(j.view.focus).toEqual({ summary: 'share' });
    expect(j.view.values.every((v: number) => v >= 0 && v <= 1)).toBe(true);
  });

  it('refuses a unit the model does not have, or a unit and a summary together, before writing anything', async () => {
    const bad = await runInProcess([...base, '--gates-svg', 'bad', '--unit', '64'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--unit must be 0 to 63 (got 64)');
    expect(bad.stdout).toBe('');
    expect(existsSync(join(dir, 'bad.svg'))).toBe(false);
    const both = await runInProcess([...base, '--gates-svg', 'both', '--unit', '3', '--summary', 'mean'], dir);
    expect(both.stderr).toMatch(/--unit and --summary/);
    expect(both.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
