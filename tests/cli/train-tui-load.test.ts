// train's dashboard is optional: only "ink or react is not installed" turns into the one-line note and the
// plain progress lines; any other failure to load it is reported.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadTrainTui } from '../../src/cli/commands/train.ts';

const failing = (e: Error) => () => Promise.reject(e);

afterEach(() => vi.restoreAllMocks());

describe('loading the training dashboard', () => {
  it('without ink it notes why in one line and falls back to progress lines', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const missing = Object.assign(new Error("Cannot find package 'ink' imported from /x/train-app.tsx"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadTrainTui(failing(missing))).resolves.toBeNull();
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^note: the terminal UI needs ink and react[^\n]*\n$/);
  });

  it('any other import failure surfaces instead of being swallowed', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const ownModule = Object.assign(new Error("Cannot find module '/x/src/tui/train-dashboard.tsx'"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadTrainTui(failing(ownModule))).rejects.toThrow(/train-dashboard\.tsx/);
    await expect(loadTrainTui(failing(new SyntaxError('Unexpected token')))).rejects.toThrow(/Unexpected token/);
    expect(err).not.toHaveBeenCalled();
  });

  it('loads the dashboard when it can', async () => {
    expect(typeof (await loadTrainTui())).toBe('function');
  });
});
