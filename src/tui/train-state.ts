// State of the training dashboard as a pure reducer over training events plus the user's pause/stop.
import type { TrainEvent } from '../training/events.ts';

export interface LogItem {
  id: number;
  kind: 'sample' | 'warning';
  step?: number;
  text: string;
}

export interface TrainState {
  step: number;
  maxSteps: number;
  params?: number;
  trainTokens?: number;
  resumed: boolean;
  loss?: number;
  lr?: number;
  charsPerSec?: number;
  etaSec?: number;
  elapsedSec?: number;
  /** Training loss per step, averaged down in pairs whenever it outgrows MAX_POINTS. */
  lossHistory: number[];
  /** How many steps each lossHistory point averages. */
  lossStride: number;
  /** Steps waiting to complete the next point when the stride is above 1. */
  lossPending: number[];
  valHistory: number[];
  valLoss?: number;
  bestValLoss?: number;
  bpc?: number;
  perplexity?: number;
  /** The held-out score the run keeps its best state by, when it has one. */
  score?: { name: string; value: number; best: number };
  /** The newest checkpoint of each kind, shown on a status line of its own (not one log line per save). */
  saved: { best?: SavedCheckpoint; latest?: SavedCheckpoint };
  /** Samples and warnings, printed once above the live dashboard. */
  log: LogItem[];
  nextLogId: number;
  paused: boolean;
  stopping: boolean;
  /** The run's error: the status line shows it and the key hints go. */
  failed?: string;
  done?: Extract<TrainEvent, { type: 'done' }>;
}

export interface SavedCheckpoint {
  step: number;
  path: string;
}

export type TrainAction = { type: 'event'; event: TrainEvent } | { type: 'toggle-pause' } | { type: 'stop' } | { type: 'failed'; message: string };

/** Enough points for any terminal width; memory stays flat however long the run. */
export const MAX_POINTS = 512;

export function initialTrainState(): TrainState {
  return { step: 0, maxSteps: 0, resumed: false, lossHistory: [], lossStride: 1, lossPending: [], valHistory: [], saved: {}, log: [], nextLogId: 1, paused: false, stopping: false };
}

export function trainReducer(s: TrainState, a: TrainAction): TrainState {
  switch (a.type) {
    case 'toggle-pause':
      return s.done || s.stopping || s.failed ? s : { ...s, paused: !s.paused };
    case 'stop':
      return s.done || s.failed ? s : { ...s, stopping: true, paused: false };
    case 'failed':
      return { ...s, failed: a.message, paused: false, stopping: false };
    case 'event':
      return applyTrainEvent(s, a.event);
  }
}

function applyTrainEvent(s: TrainState, e: TrainEvent): TrainState {
  switch (e.type) {
    case 'start':
      return { ...s, step: e.step, maxSteps: e.maxSteps, params: e.params, trainTokens: e.trainTokens, resumed: e.resumed };
    case 'step':
      return {
        ...s,
        ...pushLoss(s, e.loss),
        step: e.step,
        maxSteps: e.maxSteps,
        loss: e.loss,
        lr: e.lr,
        charsPerSec: e.charsPerSec,
        etaSec: e.etaSec,
        elapsedSec: e.elapsedSec,
      };
    case 'eval':
      return { ...s, valHistory: [...s.valHistory, e.valLoss].slice(-MAX_POINTS), valLoss: e.valLoss, bestValLoss: e.bestValLoss, bpc: e.bpc, perplexity: e.perplexity, score: e.score };
    case 'sample':
      return addLog(s, { kind: 'sample', step: e.step, text: e.text });
    case 'checkpoint':
      return { ...s, saved: { ...s.saved, [e.kind]: { step: e.step, path: e.path } } };
    case 'warning':
      return addLog(s, { kind: 'warning', text: e.message });
    case 'done':
      return { ...s, done: e, step: e.step, bestValLoss: e.bestValLoss, elapsedSec: e.elapsedSec, paused: false };
  }
}

function addLog(s: TrainState, item: Omit<LogItem, 'id'>): TrainState {
  return { ...s, log: [...s.log, { id: s.nextLogId, ...item }], nextLogId: s.nextLogId + 1 };
}

/** Appends a loss; when the history is full, neighbours are averaged so the curve keeps its whole span. */
export function pushLoss(s: Pick<TrainState, 'lossHistory' | 'lossStride' | 'lossPending'>, loss: number) {
  const pending = [...s.lossPending, loss];
  if (pending.length < s.lossStride) return { lossHistory: s.lossHistory, lossStride: s.lossStride, lossPending: pending };
  let history = [...s.lossHistory, mean(pending)];
  let stride = s.lossStride;
  if (history.length > MAX_POINTS) {
    const halved: number[] = [];
    for (let i = 0; i + 1 < history.length; i += 2) halved.push((history[i] + history[i + 1]) / 2);
    // An odd point out stays as is: it averages fewer steps, which a chart cannot tell.
    if (history.length % 2) halved.push(history[history.length - 1]);
    history = halved;
    stride *= 2;
  }
  return { lossHistory: history, lossStride: stride, lossPending: [] };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
