// A worker for tests/package/worker-url.test.ts: answers with its workerData and its last argument.
import { parentPort, workerData } from 'node:worker_threads';

const data: { said: string } = workerData;
parentPort!.postMessage({ said: data.said, lastArg: process.argv.at(-1) });
