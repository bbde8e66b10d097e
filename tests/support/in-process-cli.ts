// Runs the CLI's main(argv) inside the test process with stdout/stderr captured and a chosen working
// folder: thousands of fuzz cases in the time a few hundred spawned processes would take. The exit path of
// the real launcher is checked separately by spawning it (tests/fuzz/spawned.test.ts).
import { main } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** SIGINT/SIGTERM handlers the command added and did not remove (removed here). */
  leakedHandlers: number;
}

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

function chunkText(chunk: unknown): string {
  return typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
}

/**
 * main(argv) with process.stdout/stderr writes and console output captured, process.exit turned into a
 * result, and `cwd` as the working folder. Calls must not overlap (they share the process).
 */
export async function runInProcess(argv: string[], cwd: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    exit: process.exit,
    cwd: process.cwd(),
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    sigint: process.listenerCount('SIGINT'),
    sigterm: process.listenerCount('SIGTERM'),
  };
  const capture = (to: 'out' | 'err') =>
    function (chunk: unknown, ...rest: unknown[]): boolean {
      if (to === 'out') stdout += chunkText(chunk);
      else stderr += chunkText(chunk);
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    };
  process.stdout.write = capture('out') as typeof process.stdout.write;
  process.stderr.write = capture('err') as typeof process.stderr.write;
  console.log = console.info = (...a: unknown[]) => void (stdout += a.map(String).join(' ') + '\n');
  console.warn = console.error = (...a: unknown[]) => void (stderr += a.map(String).join(' ') + '\n');
  process.exit = ((code?: number) => {
    throw new ExitCalled(code ?? 0);
  }) as typeof process.exit;
  process.chdir(cwd);
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    if (e instanceof ExitCalled) code = e.code;
    else {
      // main() lets nothing escape except with STORYTELLER_DEBUG; anything here is a fault to report.
      stderr += `(escaped main) ${(e as Error)?.stack ?? e}\n`;
      code = -1;
    }
  } finally {
    process.chdir(saved.cwd);
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exit = saved.exit;
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
  }
  // A signal handler left behind would pile up in a long-lived process (and is a leak in the command).
  const leaked = process.listenerCount('SIGINT') - saved.sigint + process.listenerCount('SIGTERM') - saved.sigterm;
  if (leaked > 0) {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const keep = sig === 'SIGINT' ? saved.sigint : saved.sigterm;
      const all = process.listeners(sig);
      for (const l of all.slice(keep)) process.off(sig, l);
    }
  }
  return { code, stdout, stderr, leakedHandlers: Math.max(0, leaked) };
}
