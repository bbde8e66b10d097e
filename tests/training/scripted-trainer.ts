// A stand-in for train() that the trainer's worker loads in tests (startTrainerThread's `trainer` option).
// opts.name picks the script. 'block' never returns to its thread's event loop while it waits: only the
// shared control can reach it, and only a main thread that is not blocked by it can set that control.
import { UserError } from '../../src/errors.ts';
import type { TrainEvent } from '../../src/training/events.ts';
import type { TrainOptions } from '../../src/training/trainer.ts';

const nap = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread (no timers, no messages) until `ready` holds. */
function blockUntil(ready: () => boolean, what: string): void {
  const end = Date.now() + 30_000;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`scripted trainer: gave up waiting for ${what}`);
    Atomics.wait(nap, 0, 0, 5);
  }
}

export const start = (maxSteps: number): TrainEvent => ({ type: 'start', step: 0, maxSteps, params: 100, trainTokens: 1000, valTokens: 100, batchSize: 2, seqLength: 8, resumed: false });
export const step = (n: number, maxSteps: number): TrainEvent => ({ type: 'step', step: n, maxSteps, loss: 3 - n / 10, lr: 1e-3, gradNorm: 1, charsPerSec: 10, tokensPerSec: 10, etaSec: 1, elapsedSec: n });

export async function* train(opts: TrainOptions): AsyncGenerator<TrainEvent> {
  const control = opts.control!;
  yield start(3);
  switch (opts.name) {
    case 'block':
      blockUntil(() => control.paused, 'a pause');
      yield step(1, 3);
      blockUntil(() => control.stopRequested, 'a stop');
      yield { type: 'checkpoint', step: 1, path: `${opts.out}.latest`, kind: 'latest' };
      yield { type: 'done', step: 1, reason: 'stopped', bestValLoss: 2.9, elapsedSec: 1 };
      return;
    case 'internal-error':
      throw new TypeError('cannot read properties of undefined (reading "h")');
    case 'exit':
      process.exit(3);
  }
  throw new UserError(`scripted trainer: no script named ${opts.name}`);
}
