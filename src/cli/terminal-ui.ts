// The terminal UI needs ink and react, which the npm package lists as optional peers: a program that only
// calls generate() should not install them. Without them the UI paths say so in one line.
import { UserError } from '../errors.ts';

export const TUI_MISSING = 'the terminal UI needs ink and react, which are not installed (npm install ink react); "storyteller generate" works without them';

/** True for the error Node gives when ink or react (or a part of them) cannot be found. */
export function isMissingTuiPackage(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find (package|module) '(ink|react)(\/[^']*)?'/.test(err.message);
}

/** Imports a terminal-UI module, turning "ink or react is not installed" into a UserError. */
export async function importTui<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isMissingTuiPackage(e)) throw new UserError(TUI_MISSING);
    throw e;
  }
}
