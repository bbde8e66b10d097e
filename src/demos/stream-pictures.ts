// Pictures of each cell over one multi-episode stream: a heatmap of the cell state (the hidden state for the
// GRU and the RNN, as their traces offer it) and one of the forget gate where the cell shows one, for the
// units with the largest cell states; and one line plot of every LSTM-family model's mean |cell state|
// character by character, where a cell state that only adds (lstm-no-forget) climbs episode after episode.
import { hasCellState } from '../engine/config.ts';
import type { LoadedModel } from '../generation/generator.ts';
import { gateHeatmap } from '../render/heatmap.ts';
import { linePlot } from '../render/line-plot.ts';
import type { Picture } from '../render/scene.ts';
import { traceStream, type EpisodeStream, type StreamTrace } from './multi-episode.ts';

export interface NamedPicture {
  /** File name without extension: the picture is written as NAME.svg and NAME.png. */
  name: string;
  picture: Picture;
}

/** The `count` units with the largest mean |value| over the trace, largest first (ties by unit index). */
export function largestUnits(rows: readonly number[][], count: number): number[] {
  const H = rows[0]?.length ?? 0;
  const mean = new Array<number>(H).fill(0);
  for (const r of rows) r.forEach((v, u) => (mean[u] += Math.abs(v) / rows.length));
  return [...mean.keys()].sort((a, b) => mean[b]! - mean[a]! || a - b).slice(0, Math.min(count, H));
}

/** Mean |value| over all units at each character. */
export function meanAbs(rows: readonly number[][]): number[] {
  return rows.map((r) => r.reduce((a, v) => a + Math.abs(v), 0) / Math.max(1, r.length));
}

export function streamPictures(models: readonly LoadedModel[], stream: EpisodeStream, units = 16): NamedPicture[] {
  const out: NamedPicture[] = [];
  const norms: Array<{ name: string; points: Array<[number, number]> }> = [];
  const countries = stream.episodes.map((e) => e.country).join(', ');
  for (const lm of models) {
    const tr: StreamTrace = traceStream(lm, stream);
    const cell = lm.model.config.cell;
    const what = hasCellState(cell) ? 'cell state' : 'hidden state';
    // The leading newline is the zero state's input, not part of the text: drop it from the picture.
    const tokens = tr.chars.slice(1);
    const top = largestUnits(tr.cell.slice(1), units);
    const pick = (rows: number[][]) => rows.slice(1).map((r) => top.map((u) => r[u]!));
    const unitLabels = top.map((u) => `u${u}`);
    out.push({
      name: `stream-cell-${lm.name}`,
      picture: gateHeatmap({ tokens, values: pick(tr.cell), kind: 'cell', unitLabels, scale: 'range', title: `${lm.name}: ${what}, ${stream.episodes.length} episodes in a row (${countries})` }),
    });
    if (tr.forget) {
      const label = cell === 'gru' ? 'update gate z (share of the old state kept)' : cell === 'lstm-coupled' ? 'forget gate f = 1 − i' : 'forget gate';
      out.push({
        name: `stream-forget-${lm.name}`,
        picture: gateHeatmap({ tokens, values: pick(tr.forget), kind: 'forget', unitLabels, scale: 'fixed', title: `${lm.name}: ${label}, the units of its ${what} picture` }),
      });
    }
    if (hasCellState(cell)) norms.push({ name: lm.name, points: meanAbs(tr.cell.slice(1)).map((v, t) => [t + 1, v]) });
  }
  if (norms.length) {
    out.push({
      name: 'stream-cell-norm',
      picture: linePlot({
        title: `Mean |cell state| over ${stream.episodes.length} episodes in a row (${countries})`,
        xLabel: 'character of the stream',
        yLabel: 'mean |c| over all units',
        yMin: 0,
        series: norms,
      }),
    });
  }
  return out;
}
