// A reader that stops reading (`storyteller generate | head`) closes the pipe; writing to it fails with
// EPIPE. That is a normal way to end, not a crash: commands exit quietly with status 0, and a command
// with work to keep (training) is told, stops cleanly and saves it.
let closedOutput = false;
let onClose: (() => void) | undefined;
let installed = false;

/** Installed once by main(): EPIPE on stdout or stderr ends the program quietly unless a command takes over. */
export function handleClosedOutput(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closedOutput = true;
      if (onClose) onClose();
      else process.exit(0);
    });
  }
}

/** Runs `fn` (once) instead of exiting when the output closes, until the returned function is called. */
export function whenOutputCloses(fn: () => void): () => void {
  let called = false;
  onClose = () => {
    if (!called) {
      called = true;
      fn();
    }
  };
  return () => {
    onClose = undefined;
  };
}

/** True once a reader closed stdout or stderr: further writes there are lost. */
export function outputClosed(): boolean {
  return closedOutput;
}
