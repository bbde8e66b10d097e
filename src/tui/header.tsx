// Top lines: which model is speaking and the sampling settings of the next story (seed always shown).
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import type { ModelSummary } from '../generation/story-engine.ts';
import { compactNumber } from './format.ts';
import type { Settings } from './story-state.ts';

export function Header({ model, modelRef, loading, settings }: { model?: ModelSummary; modelRef: string; loading: boolean; settings: Settings }) {
  const on = useColor();
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold color={tint(on, 'cyan')}>{model?.name ?? modelRef}</Text>
        {model ? <Text> · {describeModel(model)}</Text> : <Text dimColor> · {loading ? 'loading…' : 'not loaded'}</Text>}
      </Text>
      <Text wrap="wrap">
        T {settings.temperature.toFixed(1)} · top-k {settings.topK || 'off'} · top-p {settings.topP >= 1 ? 'off' : settings.topP} · len{' '}
        {settings.length} · unknown {settings.unknown} · <Text color={tint(on, 'yellow')}>seed {settings.seed ?? '(new each story)'}</Text>
        {settings.seedFixed ? ' (fixed)' : ''}
      </Text>
    </Box>
  );
}

export function describeModel(m: ModelSummary): string {
  const val =
    m.level === 'word'
      ? m.valPerplexity !== undefined ? ` · val ppl ${m.valPerplexity.toFixed(1)}` : ''
      : m.valBpc !== undefined ? ` · val ${m.valBpc.toFixed(2)} bpc` : '';
  return `${m.level}-level ${m.cell.toUpperCase()} ${m.layers}×${m.hiddenSize} · ${compactNumber(m.params)} params${val}`;
}
