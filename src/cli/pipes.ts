// A reader that stops reading (`storyteller generate | head`) closes the pipe; writing to it fails with
// EPIPE. That is a normal way to end, not a crash: commands exit quietly with status 0, and a command
// with work to keep (training) is told, stops cleanly and saves it. Any other failure to write the output
// (a full disk: `> /dev/full`, ENOSPC) ends the same way but says so on one line and exits 1.
import { writeSync } from 'node:fs';

let closedOutput = false;
let failure: string | undefined;
let onClose: (() => void) | undefined;
let installed = false;

/** Installed once by main(): a write error on stdout or stderr ends the program cleanly unless a command takes over. */
export function handleClosedOutput(): void {
  if (installed) return;
  installed = true;
  for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      const first = !closedOutput;
      closedOutput = true;
      if (e.code !== 'EPIPE' && failure === undefined) {
        failure = `cannot write to ${name} (${e.code ?? e.message})`;
        if (name === 'stdout') {
          try {
            writeSync(2, `storyteller: ${failure}\n`);
          } catch {
            // stderr is gone too.
          }
        }
      }
      if (onClose) {
        if (first) onClose();
      } else process.exit(failure === undefined ? 0 : 1);
    });
  }
}

/** Runs `fn` (once) instead of exiting when the output closes or fails, until the returned function is called. */
export function whenOutputCloses(fn: () => void): () => void {
  onClose = fn;
  return () => {
    onClose = undefined;
  };
}

/** True once stdout or stderr was closed by its reader or failed: further writes there are lost. */
export function outputClosed(): boolean {
  return closedOutput;
}

/** Why the output failed, when it was not simply closed by its reader (the exit status is then 1). */
export function outputFailure(): string | undefined {
  return failure;
}
