// Writes what the story screen shows to disk: the story as text with its gate traces as JSON beside it,
// and a tokens × units heatmap picture of one layer and gate kind.
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { UserError } from '../errors.ts';
import type { GateKind } from '../generation/events.ts';
import type { GateFocus } from '../render/gate-focus.ts';
import type { ScaleMode } from '../render/gate-scale.ts';
import { gateMatrix } from '../generation/gate-matrix.ts';
import { gateTokens, type Run } from './story-run.ts';

/** Base name (no extension) shared by a story's files: model, seed and time, safe on any file system. */
export function storyBaseName(run: Run, now = new Date()): string {
  const model = basename(run.model).replace(/\.safetensors$/, '');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${model}-seed-${run.seed ?? 'unknown'}-${stamp}`.replace(/[^\w.-]+/g, '_');
}

export async function saveStory(run: Run, dir: string, now = new Date()): Promise<{ textPath: string; gatesPath: string }> {
  if (run.tokens.length === 0) throw new UserError('nothing to save yet: generate a story first');
  await mkdir(dir, { recursive: true });
  const base = join(dir, storyBaseName(run, now));
  const textPath = `${base}.txt`;
  const gatesPath = `${base}.gates.json`;
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  const trace = {
    model: run.model,
    seed: run.seed,
    options: run.options,
    prime: run.primeText,
    // Rounded to 4 decimals: plenty for plots, and a 400-token trace stays a few megabytes.
    tokens: run.tokens.map((t) => ({
      text: t.text,
      prob: round(t.prob),
      top: t.top.map((c) => ({ text: c.text, prob: round(c.prob) })),
      gates: t.gates?.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, (v as number[]).map(round)]))),
    })),
  };
  await writeFileAtomic(textPath, run.primeText + run.text + '\n');
  await writeFileAtomic(gatesPath, JSON.stringify(trace) + '\n');
  return { textPath, gatesPath };
}

/** What the gate view shows, so the picture shows the same: layer, kind, unit or summary, colour scale. */
export interface HeatmapView {
  layer: number;
  kind: GateKind;
  focus?: GateFocus;
  scale?: ScaleMode;
}

/** The prompt's tokens (when traced) and the story's as a tokens × units heatmap, coloured as the gate view is. */
export async function exportHeatmap(run: Run, view: HeatmapView, dir: string, now = new Date()): Promise<{ svgPath: string; pngPath: string }> {
  const { layer, kind, focus, scale } = view;
  const m = gateMatrix(gateTokens(run), layer, kind);
  if (m.tokens.length === 0) throw new UserError(`no ${kind} values for layer ${layer + 1} in this story: generate one first`);
  await mkdir(dir, { recursive: true });
  const shown = focus ? ('unit' in focus ? ` · unit ${focus.unit}` : ` · ${focus.summary}`) : '';
  const title = `${basename(run.model)} · ${kind} · layer ${layer + 1}${shown} · seed ${run.seed ?? '?'}`;
  // Loaded on first export: the rasterizer and font are not needed to tell stories.
  const [{ gateHeatmap }, { writePicture }] = await Promise.all([import('../render/heatmap.ts'), import('../render/write-picture.ts')]);
  const pic = gateHeatmap({ tokens: m.tokens, values: m.values, title, kind, focus, scale });
  const suffix = focus && 'unit' in focus ? `-unit${focus.unit}` : focus ? `-${focus.summary}` : '';
  return writePicture(join(dir, `${storyBaseName(run, now)}-${kind}-layer${layer + 1}${suffix}`), pic);
}
