// A training run in its own thread (started by trainer-thread.ts): runs train() and posts each event to
// the thread that shows it, so the dashboard's keys and redraws never wait for a training step.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { train } from './trainer.ts';
import { sharedTrainControl, type FromTrainerWorker, type SelectorModule, type TrainerWorkerData } from './trainer-worker-protocol.ts';

const { job, control, trainer } = workerData as TrainerWorkerData;
const port = parentPort!;
const send = (m: FromTrainerWorker) => port.postMessage(m);

try {
  const run: typeof train = trainer ? (await import(trainer)).train : train;
  const select = job.select ? ((await import(job.select.module)) as SelectorModule).resolveSelector(job.select.by, job.select.root) : undefined;
  const { select: _, ...options } = job;
  for await (const event of run({ ...options, select, control: sharedTrainControl(control) })) send({ type: 'event', event });
  send({ type: 'end' });
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  send({ type: 'error', message: error.message, user: error instanceof UserError, stack: error.stack });
}
