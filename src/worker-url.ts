// Where code that runs in its own thread or process lives. In the built package (dist/) a module's
// sibling is its .js file, which plain node runs. From the TypeScript sources (vitest, tsx) it is the .ts
// file, which needs tsx to load. Every worker and child-process launcher asks here, so each works both ways.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** True when `from` (an import.meta.url) is a TypeScript source rather than built output. */
export function runningFromSource(from: string | URL): boolean {
  return /\.[cm]?tsx?$/.test(new URL(from).pathname);
}

/**
 * The module `relative` (written as its source path, e.g. './generation-worker.ts') resolved against
 * `from` (the caller's import.meta.url): the .ts file from source, its .js sibling from dist/.
 */
export function moduleUrl(relative: string, from: string | URL): URL {
  const url = new URL(relative, from);
  if (!runningFromSource(from)) url.pathname = url.pathname.replace(/\.[cm]?tsx?$/, '.js');
  return url;
}

/** Starts a worker thread on the module `relative` next to `from` (see moduleUrl). */
export function startWorker(relative: string, from: string | URL, options: WorkerOptions = {}): Worker {
  const url = moduleUrl(relative, from);
  if (!runningFromSource(from)) return new Worker(url, options);
  // tsx's loader must be registered inside the worker itself: a trampoline does that, then imports the
  // module, whose URL it takes (and removes) from the end of the worker's argv.
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { ...options, argv: [...(options.argv ?? []), url.href] });
}

/** The arguments for `node` that run the script `relative` next to `from` as a child process. */
export function nodeArgs(relative: string, from: string | URL): string[] {
  const file = fileURLToPath(moduleUrl(relative, from));
  if (!runningFromSource(from)) return [file];
  // tsx is a development dependency: only a source checkout reaches this line.
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href, file];
}
