// Shared helpers for the terminal UI tests: waiting on frames, stripping ANSI, resizing the fake terminal.
import { useEffect } from 'react';

export const ANSI = /\x1b\[[0-9;]*m/g;

export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}

/**
 * Polls until `check` returns true; fails with `what` and the last frame when it never does. `poke`, when
 * given, runs first and again every half second until then (a key that may arrive before its handler).
 */
export async function waitFor(check: () => boolean, what: string, frame?: () => string | undefined, timeoutMs = 20_000, poke?: () => unknown): Promise<void> {
  const end = Date.now() + timeoutMs;
  let nextPoke = 0;
  while (Date.now() < end) {
    if (poke && Date.now() >= nextPoke) {
      await poke();
      nextPoke = Date.now() + 500;
    }
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}${frame ? `\n--- last frame ---\n${frame()}` : ''}`);
}

export const tick = (ms = 120) => new Promise((r) => setTimeout(r, ms));

/** Makes ink-testing-library's fixed 100-column stdout report another width, as a terminal resize does. */
export function resize(stdout: NodeJS.EventEmitter, columns: number, rows?: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  if (rows !== undefined) Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}

/** Renders nothing; calls back when the Ink tree unmounts, which is what quitting does. */
export function UnmountProbe({ onUnmount }: { onUnmount: () => void }) {
  useEffect(() => onUnmount, []);
  return null;
}

/** An async iterable the test feeds by hand, standing in for the trainer's event stream. */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private error: unknown;
  private wake?: () => void;

  push(...items: T[]): void {
    this.items.push(...items);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  fail(error: unknown): void {
    this.error = error;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.error) throw this.error;
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}
