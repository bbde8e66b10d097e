// A generation worker: loads checkpoints (kept in a small cache) and streams generator events back.
// Cancellation arrives through shared memory, so a long story stops without waiting for the message queue.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { loadModel, summarize } from '../models.ts';
import { generate, type LoadedModel } from './generator.ts';
import { heatmapScene } from '../render/heatmap.ts';
import { rasterizeScene } from '../render/scene-raster.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

const cancel = new Int32Array(workerData.cancel as SharedArrayBuffer);
const cache = new Map<string, LoadedModel>();
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

async function model(path: string): Promise<LoadedModel> {
  let lm = cache.get(path);
  if (!lm) {
    lm = await loadModel(path);
    if (cache.size >= 4) {
      const oldest = cache.keys().next().value!;
      cache.get(oldest)!.model.dispose();
      cache.delete(oldest);
    }
    cache.set(path, lm);
  }
  return lm;
}

port.on('message', async (msg: ToWorker) => {
  try {
    if (msg.type === 'render') {
      const png = rasterizeScene(heatmapScene(msg.heatmap)).toPng();
      // Transferred, not copied: the PNG can be a few hundred kilobytes.
      const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength).slice();
      port.postMessage({ type: 'rendered', id: msg.id, png: bytes } satisfies FromWorker, [bytes.buffer]);
      return;
    }
    const lm = await model(msg.path);
    if (msg.type === 'load') {
      send({ type: 'loaded', id: msg.id, summary: summarize(lm) });
      return;
    }
    for (const event of generate(lm, msg.options)) {
      if (Atomics.load(cancel, 0) === msg.id) break;
      send({ type: 'event', id: msg.id, event });
    }
    send({ type: 'done', id: msg.id });
  } catch (e) {
    send({ type: 'error', id: msg.id, message: (e as Error).message, user: e instanceof UserError });
  }
});
