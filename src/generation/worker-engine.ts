// The real StoryEngine: a pool of worker threads does the model math, so the thread that serves a user
// (Ink's render loop, the Discord gateway) never blocks on it. Events are queued per request and handed
// out through an async iterator.
import type { Worker } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { defaultStoryWorkers } from '../engine/threads.ts';
import { startWorker } from '../worker-url.ts';
import { listModels, MODELS_DIR, resolveModelPath } from '../models.ts';
import type { GateHeatmapInput } from '../render/heatmap.ts';
import type { GenerateOptions, GenerationEvent } from './events.ts';
import type { ModelSummary, StoryEngine } from './story-engine.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

interface Slot {
  worker: Worker;
  busy: boolean;
  cancel: Int32Array;
}

interface Job {
  msg: ToWorker;
  onMessage(m: FromWorker): void;
}

export interface StoryEngineOptions {
  /** Where model names are looked up (default: the package's models/). */
  modelsDir?: string;
  /** Worker threads in the pool (default: one per core, up to 16: engine/threads.ts's defaultStoryWorkers()). */
  workers?: number;
}

/** A pool of worker threads that load models and stream stories without blocking the caller's thread; close() ends it. */
export function createStoryEngine(opts: StoryEngineOptions = {}): StoryEngine {
  const modelsDir = opts.modelsDir ?? MODELS_DIR;
  const size = Math.max(1, opts.workers ?? defaultStoryWorkers());
  const slots: Slot[] = [];
  const queue: Job[] = [];
  const handlers = new Map<number, Job>();
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const worker = startWorker('./generation-worker.ts', import.meta.url, { workerData: { cancel: cancel.buffer } });
    const slot: Slot = { worker, busy: false, cancel };
    worker.on('message', (m: FromWorker) => {
      const job = handlers.get(m.id);
      if (m.type === 'done' || m.type === 'error' || m.type === 'loaded' || m.type === 'rendered') {
        handlers.delete(m.id);
        slot.busy = false;
        slot.worker.unref(); // an idle pool must not keep the process alive
        setImmediate(pump);
      }
      job?.onMessage(m);
    });
    worker.on('error', (e) => {
      for (const [id, job] of handlers) job.onMessage({ type: 'error', id, message: `generation worker failed: ${e.message}`, user: false });
      handlers.clear();
      slots.splice(slots.indexOf(slot), 1);
    });
    worker.unref();
    return slot;
  };

  const pump = () => {
    while (queue.length && !closed) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < size) slots.push((slot = spawn()));
      if (!slot) return;
      const job = queue.shift()!;
      slot.busy = true;
      slot.worker.ref(); // pending work keeps the process alive until its answer arrives
      handlers.set(job.msg.id, job);
      slot.worker.postMessage(job.msg);
    }
  };

  const submit = (msg: ToWorker, onMessage: Job['onMessage']) => {
    if (closed) throw new UserError('the story engine is closed');
    queue.push({ msg, onMessage });
    pump();
  };

  const resolve = (nameOrPath: string) => resolveModelPath(nameOrPath, modelsDir);

  const loadModel = (nameOrPath: string) =>
    new Promise<ModelSummary>((ok, fail) => {
      submit({ type: 'load', id: nextId++, path: resolve(nameOrPath) }, (m) => {
        if (m.type === 'loaded') ok(m.summary);
        else if (m.type === 'error') fail(m.user ? new UserError(m.message) : new Error(m.message));
      });
    });

  const renderGateHeatmap = (heatmap: GateHeatmapInput) =>
    new Promise<Uint8Array>((ok, fail) => {
      submit({ type: 'render', id: nextId++, heatmap }, (m) => {
        if (m.type === 'rendered') ok(m.png);
        else if (m.type === 'error') fail(m.user ? new UserError(m.message) : new Error(m.message));
      });
    });

  async function* generate(model: string, options: Partial<GenerateOptions>, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    const id = nextId++;
    const buffered: FromWorker[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    submit({ type: 'generate', id, path: resolve(model), options }, (m) => {
      buffered.push(m);
      wake?.();
    });
    const onAbort = () => {
      // Each worker compares its cancel cell with the id it is running; ids are unique, so telling all is safe.
      for (const s of slots) Atomics.store(s.cancel, 0, id);
      const i = queue.findIndex((j) => j.msg.id === id);
      if (i >= 0) {
        queue.splice(i, 1);
        buffered.push({ type: 'done', id });
        wake?.();
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (!buffered.length) await new Promise<void>((r) => (wake = r));
        wake = null;
        while (buffered.length) {
          const m = buffered.shift()!;
          if (m.type === 'event') {
            if (!signal?.aborted) yield m.event;
          } else if (m.type === 'error') {
            finished = true;
            throw m.user ? new UserError(m.message) : new Error(m.message);
          } else if (m.type === 'done') {
            finished = true;
            return;
          }
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Only a consumer that stopped early cancels: after the worker's last message, writing this id into
      // every cancel cell would overwrite another story's pending cancel and let that story run on.
      if (!finished) onAbort();
    }
  }

  return {
    listModels: () => listModels(modelsDir),
    loadModel,
    generate,
    renderGateHeatmap,
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}
