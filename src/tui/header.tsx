// Top lines: which model is speaking and the sampling settings of the next story (seed always shown).
import { tint } from './color-context.ts';
import type { ModelSummary } from '../generation/story-engine.ts';
import { compactNumber } from '../format.ts';
import { wrapSpans, type Span } from './screen-layout.ts';
import type { Settings } from './story-settings.ts';

export interface HeaderInfo {
  model?: ModelSummary;
  modelRef: string;
  loading: boolean;
  settings: Settings;
}

/** The header wrapped to `width`: the model line, then the settings line. */
export function headerRows({ model, modelRef, loading, settings }: HeaderInfo, width: number, on: boolean): Span[][] {
  const name: Span = { text: model?.name ?? modelRef, bold: true, color: tint(on, 'cyan') };
  const about: Span = model ? { text: ` · ${describeModel(model)}` } : { text: ` · ${loading ? 'loading…' : 'not loaded'}`, dim: true };
  const s = settings;
  const knobs = `T ${s.temperature.toFixed(1)} · top-k ${s.topK || 'off'} · top-p ${s.topP >= 1 ? 'off' : s.topP} · len ${s.length} · unknown ${s.unknown} · `;
  const seed: Span = { text: `seed ${s.seed ?? '(new each story)'}${s.seedFixed ? ' (fixed)' : ''}`, color: tint(on, 'yellow') };
  return [...wrapSpans([name, about], width), ...wrapSpans([{ text: knobs }, seed], width)];
}

export function describeModel(m: ModelSummary): string {
  const val =
    m.level === 'word'
      ? m.valPerplexity !== undefined ? ` · val ppl ${m.valPerplexity.toFixed(1)}` : ''
      : m.valBpc !== undefined ? ` · val ${m.valBpc.toFixed(2)} bpc` : '';
  return `${m.level}-level ${m.cell.toUpperCase()} ${m.layers}×${m.hiddenSize} · ${compactNumber(m.params)} params${val}`;
}
