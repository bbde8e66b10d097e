// The bot's gate heatmap is drawn in the engine's worker pool: the same PNG bytes as drawing it here, and
// the caller's event loop (the Discord gateway's) keeps turning while a large one is drawn.
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StoryEngine } from '../../src/generation/story-engine.ts';
import { createStoryEngine } from '../../src/generation/worker-engine.ts';
import { heatmapScene, type GateHeatmapInput } from '../../src/render/heatmap.ts';
import { rasterizeScene } from '../../src/render/scene-raster.ts';

function heatmap(tokens: number, units: number): GateHeatmapInput {
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return {
    tokens: Array.from({ length: tokens }, (_, t) => 'Spot ran home. '[t % 15]),
    values: Array.from({ length: tokens }, () => Array.from({ length: units }, next)),
    title: `forget gate, layer 2 of 2 · test · seed ${tokens}`,
    kind: 'forget',
  };
}

let engine: StoryEngine;
beforeAll(async () => {
  engine = createStoryEngine({ workers: 1 });
  await engine.renderGateHeatmap!(heatmap(2, 2)); // start the worker outside the measurements
});
afterAll(async () => {
  await engine?.close();
});

describe('renderGateHeatmap in the worker pool', () => {
  test('returns the same PNG bytes as drawing the heatmap on this thread', async () => {
    const input = heatmap(40, 16);
    const png = await engine.renderGateHeatmap!(input);
    const here = rasterizeScene(heatmapScene(input)).toPng();
    expect(Buffer.compare(Buffer.from(png), here)).toBe(0);
    const decoded = PNG.sync.read(Buffer.from(png));
    const scene = heatmapScene(input);
    expect([decoded.width, decoded.height]).toEqual([scene.width, scene.height]);
  });

  test('a bad heatmap is a rejected promise, and the worker serves the next request', async () => {
    await expect(engine.renderGateHeatmap!({ ...heatmap(3, 2), values: [[0.5]] })).rejects.toThrow(/3 tokens but 1 rows/);
    await expect(engine.renderGateHeatmap!(heatmap(3, 2))).resolves.toBeInstanceOf(Uint8Array);
  });

  test("the caller's event loop is not blocked while a large heatmap is drawn", async () => {
    const input = heatmap(400, 512);
    const started = performance.now();
    rasterizeScene(heatmapScene(input)).toPng();
    const onThisThread = performance.now() - started;

    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    try {
      await engine.renderGateHeatmap!(input);
    } finally {
      clearInterval(timer);
    }
    console.log(`heatmap 400×512: ${onThisThread.toFixed(0)} ms on this thread; longest event-loop gap while the worker drew it: ${longestGap.toFixed(0)} ms`);
    expect(onThisThread).toBeGreaterThan(100);
    expect(longestGap).toBeLessThan(onThisThread / 2);
  });
});
