// One-line progress for terminals: bar, step, loss, validation loss, throughput and ETA.
import type { TrainEvent } from '../training/events.ts';

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '--';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function renderProgressLine(ev: Extract<TrainEvent, { type: 'step' }>, valLoss: number | undefined, columns: number): string {
  const info = ` ${ev.step}/${ev.maxSteps} loss ${ev.loss.toFixed(3)}${valLoss !== undefined ? ` val ${valLoss.toFixed(3)}` : ''} ${Math.round(ev.charsPerSec).toLocaleString('en')} chars/s eta ${formatDuration(ev.etaSec)}`;
  const width = Math.max(10, Math.min(40, columns - info.length - 3));
  const filled = Math.round((ev.step / ev.maxSteps) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${info}`.slice(0, columns - 1);
}
