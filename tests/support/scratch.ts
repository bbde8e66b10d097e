// Temporary folders for tests. Each one is removed after the test file that made it has finished
// (tests/support/remove-scratch.ts runs in every test file), so a test run leaves nothing in the temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty folder under the system temp folder, named storyteller-PREFIX-XXXXXX. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `storyteller-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
