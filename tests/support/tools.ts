// Tests that need a program the project does not install through npm (tmux, PyTorch). A missing tool is a
// failure, not a silent skip: a green run on a machine without it would hide that these tests never ran.
// `.ci/run` installs them; STORYTELLER_SKIP_E2E=1 skips such tests on purpose, and says so.
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export const SKIP_E2E = process.env.STORYTELLER_SKIP_E2E === '1';

/** Whether `command args…` runs and exits 0 (e.g. `tmux -V`, `python3 -c "import torch"`). */
export function runs(command: string, ...args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** Debian's PyTorch, as the compatibility tests call it. */
export const TORCH_PYTHON = '/usr/bin/python3';
/** '' when PyTorch imports under TORCH_PYTHON, else what is missing and how to install it. */
export const torchMissing = (): string => (runs(TORCH_PYTHON, '-c', 'import torch') ? '' : `PyTorch is not installed for ${TORCH_PYTHON} (Debian: apt-get install python3-torch libopenblas0-openmp)`);
/** '' when tmux runs, else what is missing and how to install it. */
export const tmuxMissing = (): string => (runs('tmux', '-V') ? '' : 'tmux is not installed (Debian: apt-get install tmux)');

/**
 * describe() for tests that need a tool. `missing` is '' when everything is there, else what is missing and
 * how to get it. Missing without STORYTELLER_SKIP_E2E=1: one failing test that says so. With it: skipped,
 * with the reason in the suite name and on stderr.
 */
export function describeWithTool(name: string, missing: string, body: () => void): void {
  if (!missing) {
    describe(name, body);
  } else if (SKIP_E2E) {
    process.stderr.write(`SKIPPED (STORYTELLER_SKIP_E2E=1): ${name}: ${missing}\n`);
    describe.skip(`${name} (skipped by STORYTELLER_SKIP_E2E=1: ${missing})`, body);
  } else {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(`${missing}. .ci/run installs it; set STORYTELLER_SKIP_E2E=1 to skip these tests on purpose`);
      });
    });
  }
}
