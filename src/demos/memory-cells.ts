// The memory cell of the long-dependency task: which units of an LSTM-family model hold the country across
// the filler. Traces the cell state and forget gate over an episode, ranks units by how much of their cell
// state the country explains, and checks with two held-out probes that the country can be read back.
import { hasCellState } from '../engine/config.ts';
import type { LoadedModel } from '../generation/generator.ts';
import { COUNTRY_LANGUAGE, INTRO, QUESTION, type Episode } from './long-dependency-corpus.ts';
import { encodeEpisodeText } from './long-dependency.ts';
import { correlationRatio, linearProbe, nearestMeanProbe } from './probe-stats.ts';

export interface MemoryUnit {
  unit: number;
  /** Correlation ratio η² of this unit's cell state with the country at the end of the filler (0..1). */
  eta2: number;
  /** The same halfway through the filler: a unit that carries the country shows it all along. */
  eta2MidGap: number;
  /** Mean forget-gate activation of this unit over the filler characters. */
  meanForget: number;
}

export interface MemoryCellReport {
  /** Episodes used (long gaps). */
  episodes: number;
  /** Units ranked by η² at the end of the filler, best first. */
  units: MemoryUnit[];
  /** Mean forget gate over the filler, all units. */
  meanForgetAll: number;
  /** Held-out accuracy of a linear probe (softmax regression) reading the country from all cell states at the end of the filler. */
  probeAccuracy: number;
  /**
   * The best unit by η² on the first half of the episodes, and how often the nearest country mean of that
   * one cell state names the country on the other half: whether a single memory cell carries it.
   */
  topUnit: number;
  topUnitAccuracy: number;
  /** Chance for the probe: 1 / countries. */
  chance: number;
}

/** Cell states and forget gates of layer `layer` over one episode, plus where the filler starts and ends. */
export function traceEpisode(lm: LoadedModel, episode: Episode, layer = 0) {
  const text = episode.text;
  const ids = encodeEpisodeText(lm, text);
  const state = lm.model.zeroState(1);
  lm.model.forward(ids, ids.length, 1, state);
  const chars = ['\n', ...Array.from(lm.tokenizer.encodePrompt(text, 'replace').text)];
  const cell: number[][] = [];
  const forget: number[][] = [];
  for (let t = 0; t < ids.length; t++) {
    const tr = lm.model.trace(t, 0)[layer]!;
    cell.push(tr.cell);
    // lstm-no-forget has no forget gate to trace: its f is fixed at 1.
    forget.push(tr.forget ?? new Array<number>(tr.cell.length).fill(1));
  }
  // +1 for the leading newline: position t reads chars[t].
  const fillerStart = INTRO(episode.country).length + 1;
  const fillerEnd = text.lastIndexOf(QUESTION);
  return { chars, cell, forget, fillerStart, fillerEnd };
}

/**
 * Finds the LSTM units whose cell state carries the country across the filler: the correlation ratio of
 * each unit's cell state with the country at the last filler character, over long-gap test episodes,
 * and a linear probe on all cell states at that point (trained on half the episodes, tested on the rest).
 */
export function findMemoryCells(lm: LoadedModel, episodes: Episode[], pairs = COUNTRY_LANGUAGE, layer = 0): MemoryCellReport {
  if (!hasCellState(lm.model.config.cell)) throw new RangeError('the memory-cell probe needs a cell with a cell state (the LSTM family)');
  const countries = pairs.map(([c]) => c);
  const H = lm.model.config.hiddenSize;
  const atEnd: number[][] = [];
  const atMid: number[][] = [];
  const labels: number[] = [];
  const forgetSum = new Array(H).fill(0);
  let forgetN = 0;
  for (const e of episodes) {
    const tr = traceEpisode(lm, e, layer);
    atEnd.push(tr.cell[tr.fillerEnd]!);
    atMid.push(tr.cell[Math.floor((tr.fillerStart + tr.fillerEnd) / 2)]!);
    labels.push(countries.indexOf(e.country));
    for (let t = tr.fillerStart + 1; t <= tr.fillerEnd; t++) {
      tr.forget[t]!.forEach((f, u) => (forgetSum[u] += f));
      forgetN++;
    }
  }
  const units: MemoryUnit[] = [];
  for (let u = 0; u < H; u++) {
    units.push({
      unit: u,
      eta2: correlationRatio(atEnd.map((r) => r[u]), labels),
      eta2MidGap: correlationRatio(atMid.map((r) => r[u]), labels),
      meanForget: forgetSum[u] / Math.max(1, forgetN),
    });
  }
  units.sort((a, b) => b.eta2 - a.eta2);
  const half = Math.floor(episodes.length / 2);
  const probeAccuracy = linearProbe(
    { x: atEnd.slice(0, half), y: labels.slice(0, half) },
    { x: atEnd.slice(half), y: labels.slice(half) },
    countries.length,
  );
  const trainEta = Array.from({ length: H }, (_, u) => correlationRatio(atEnd.slice(0, half).map((r) => r[u]), labels.slice(0, half)));
  const topUnit = trainEta.indexOf(Math.max(...trainEta));
  const topUnitAccuracy = nearestMeanProbe(
    { x: atEnd.slice(0, half).map((r) => r[topUnit]), y: labels.slice(0, half) },
    { x: atEnd.slice(half).map((r) => r[topUnit]), y: labels.slice(half) },
  );
  return {
    episodes: episodes.length,
    units,
    meanForgetAll: forgetSum.reduce((a, b) => a + b, 0) / H / Math.max(1, forgetN),
    probeAccuracy,
    topUnit,
    topUnitAccuracy,
    chance: 1 / countries.length,
  };
}
