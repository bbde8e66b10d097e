import { describe, expect, test } from 'vitest';
import { initialTrainState, MAX_POINTS, pushLoss, trainReducer } from '../../src/tui/train-state.ts';
import type { TrainEvent } from '../../src/training/events.ts';

const step = (n: number, loss: number): TrainEvent => ({ type: 'step', step: n, maxSteps: 10, loss, lr: 1e-3, gradNorm: 1, charsPerSec: 1, tokensPerSec: 1, etaSec: 1, elapsedSec: 1 });
const apply = (...events: TrainEvent[]) => events.reduce((s, event) => trainReducer(s, { type: 'event', event }), initialTrainState());

describe('training state', () => {
  test('step events record the step and the loss history', () => {
    const s = apply(step(1, 3), step(2, 2.5));
    expect(s.step).toBe(2);
    expect(s.lossHistory).toEqual([3, 2.5]);
  });

  test('eval events keep the validation curve and the best loss', () => {
    const s = apply({ type: 'eval', step: 5, valLoss: 2, bestValLoss: 2, improved: true, bpc: 2.9 });
    expect(s).toMatchObject({ valHistory: [2], bestValLoss: 2, bpc: 2.9 });
  });

  test('samples and warnings go to the log in order', () => {
    const s = apply({ type: 'sample', step: 3, text: 'hi' }, { type: 'checkpoint', step: 3, path: 'm.safetensors', kind: 'best' }, { type: 'warning', message: 'slow' });
    expect(s.log.map((l) => l.kind)).toEqual(['sample', 'warning']);
  });

  test('checkpoints keep the newest save of each kind instead of a log line per save', () => {
    const s = apply(
      { type: 'checkpoint', step: 5, path: 'm.best.safetensors', kind: 'best' },
      { type: 'checkpoint', step: 5, path: 'm.latest.safetensors', kind: 'latest' },
      { type: 'checkpoint', step: 10, path: 'm.latest.safetensors', kind: 'latest' },
    );
    expect(s.saved).toEqual({ best: { step: 5, path: 'm.best.safetensors' }, latest: { step: 10, path: 'm.latest.safetensors' } });
    expect(s.log).toEqual([]);
  });

  test('pause toggles, and does nothing once stopping', () => {
    const paused = trainReducer(initialTrainState(), { type: 'toggle-pause' });
    expect(paused.paused).toBe(true);
    const stopping = trainReducer(paused, { type: 'stop' });
    expect(stopping).toMatchObject({ stopping: true, paused: false });
    expect(trainReducer(stopping, { type: 'toggle-pause' }).paused).toBe(false);
  });

  test('a failure is kept for the status line, and pause and stop no longer apply', () => {
    const failed = trainReducer(initialTrainState(), { type: 'failed', message: 'disk full' });
    expect(failed).toMatchObject({ failed: 'disk full', log: [] });
    expect(trainReducer(failed, { type: 'toggle-pause' }).paused).toBe(false);
    expect(trainReducer(failed, { type: 'stop' }).stopping).toBe(false);
  });

  test('done records why training ended', () => {
    expect(apply({ type: 'done', step: 9, reason: 'early-stop', bestValLoss: 1, elapsedSec: 3 }).done?.reason).toBe('early-stop');
  });

  test('a long run keeps at most MAX_POINTS loss points covering every step', () => {
    let h = { lossHistory: [] as number[], lossStride: 1, lossPending: [] as number[] };
    const steps = MAX_POINTS * 5;
    for (let i = 0; i < steps; i++) h = pushLoss(h, i);
    expect(h.lossHistory.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(h.lossHistory.length * h.lossStride + h.lossPending.length).toBeGreaterThanOrEqual(steps - h.lossStride);
    // Averages of increasing steps stay increasing, so the curve keeps its shape.
    expect([...h.lossHistory].sort((a, b) => a - b)).toEqual(h.lossHistory);
  });
});
