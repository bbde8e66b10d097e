// Details of the selected token: its per-unit activations as a heat strip wrapped to the width, and
// the candidates the model weighed at that step.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import type { GateKind } from '../generation/events.ts';
import { digitShade, rgbHex, shadeChar, valueRgb } from '../render/colors.ts';
import { visibleToken } from '../render/token-label.ts';
import { useColor } from './color-context.ts';
import { meanValue, unitValues } from './gate-stats.ts';
import type { TokenRecord } from './story-state.ts';

export interface GatePanelProps {
  token?: TokenRecord;
  index: number;
  count: number;
  layer: number;
  layers: number;
  kind: GateKind;
  width: number;
}

export function GatePanel({ token, index, count, layer, layers, kind, width }: GatePanelProps) {
  const color = useColor();
  if (!token) return <Text dimColor>no tokens yet: generate a story to inspect its gates</Text>;
  const values = unitValues(token, layer, kind);
  const mean = meanValue(values);
  const strip = values ? chunk(values, Math.max(1, width)) : [];
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        token {index + 1}/{count} <Text bold>{visibleToken(token.text, 16)}</Text> p={token.prob.toFixed(2)} · {kind} · layer {layer + 1}/{layers}
        {mean !== undefined ? ` · mean ${mean.toFixed(2)} (${digitShade(mean, kind)})` : ''}
        {values ? ` · ${values.length} units` : ''}
      </Text>
      {values ? (
        strip.map((line, i) => (
          <Text key={i} wrap="truncate">
            {color
              ? line.map((v, j) => <Text key={j} color={rgbHex(valueRgb(v, kind))}>█</Text>)
              : line.map((v) => shadeChar(v, kind)).join('')}
          </Text>
        ))
      ) : (
        <Text dimColor>this token has no {kind} trace for layer {layer + 1} (k picks another kind)</Text>
      )}
      <Text wrap="wrap">
        <Text dimColor>top: </Text>
        {token.top.map((c) => `${visibleToken(c.text, 12)} ${c.prob.toFixed(2)}`).join('  ')}
      </Text>
    </Box>
  );
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
