// One-line progress for terminals: bar, step, loss, validation loss, throughput and ETA.
import { duration, filledCells } from '../format.ts';
import type { TrainEvent } from '../training/events.ts';

export function renderProgressLine(ev: Extract<TrainEvent, { type: 'step' }>, valLoss: number | undefined, columns: number): string {
  const info = ` ${ev.step}/${ev.maxSteps} loss ${ev.loss.toFixed(3)}${valLoss !== undefined ? ` val ${valLoss.toFixed(3)}` : ''} ${Math.round(ev.charsPerSec).toLocaleString('en')} chars/s eta ${duration(ev.etaSec)}`;
  const width = Math.max(10, Math.min(40, columns - info.length - 3));
  const filled = filledCells(ev.step / ev.maxSteps, width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${info}`.slice(0, columns - 1);
}
