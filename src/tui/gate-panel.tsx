// Details of the selected token: its per-unit activations as a heat strip with unit numbers (the shown unit
// drawn as ◆), wrapped to the width, and the candidates the model weighed at that step. The strip's colours
// are fitted to the whole layer's values with the same scale mode as the story.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { GateKind } from '../generation/events.ts';
import { unitValues } from '../generation/gate-matrix.ts';
import { contrastingText, rgbHex } from '../render/colors.ts';
import { fitScale, formatLevel, scaleRgb, scaleShade, type ScaleMode, type ValueScale } from '../render/gate-scale.ts';
import { visibleToken } from '../render/token-label.ts';
import { useColor } from './color-context.ts';
import { allValues, meanValue } from './gate-stats.ts';
import type { TokenRecord } from './story-run.ts';

export interface GatePanelProps {
  token?: TokenRecord;
  index: number;
  count: number;
  /** Tokens before this index belong to the prompt. */
  promptCount: number;
  layer: number;
  kind: GateKind;
  unit: number | null;
  mode: ScaleMode;
  /** All tokens, for fitting the strip's scale. */
  tokens: TokenRecord[];
  width: number;
}

const PREFIX = 5;

/** Units per strip line: whole tens, so the ruler's marks fall on every line alike. */
export function stripWidth(width: number): number {
  return Math.max(10, Math.floor((width - PREFIX) / 10) * 10);
}

/** The ruler over the strip: offsets 0, 10, 20, … within a line. */
export function stripRuler(perLine: number, units: number): string {
  let s = ''.padEnd(PREFIX);
  for (let o = 0; o < Math.min(perLine, units); o += 10) s += String(o).padEnd(10);
  return s.trimEnd();
}

export function GatePanel({ token, index, count, promptCount, layer, kind, unit, mode, tokens, width }: GatePanelProps) {
  const color = useColor();
  const scale = useMemo<ValueScale>(() => fitScale(allValues(tokens, layer, kind), kind, mode), [tokens, layer, kind, mode]);
  if (!token) return <Text dimColor>no tokens yet: generate a story to inspect its gates</Text>;
  const values = unitValues(token, layer, kind);
  const mean = meanValue(values);
  const perLine = stripWidth(width);
  const lines: number[][] = [];
  if (values) for (let u = 0; u < values.length; u += perLine) lines.push(values.slice(u, u + perLine));
  const inPrompt = index < promptCount;
  const where = inPrompt ? `prompt token ${index + 1}/${promptCount}` : `token ${index - promptCount + 1}/${count - promptCount}`;
  const shown = unit !== null && values ? values[unit] : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        {where} <Text bold>{visibleToken(token.text, 16)}</Text> p={formatProb(token.prob)}
        {inPrompt ? ' (as the model expected it)' : ''} · {kind}
        {mean !== undefined ? ` · mean ${mean.toFixed(2)}` : ''}
        {shown !== undefined ? ` · unit ${unit} ${formatLevel(shown)}` : ''}
        {values ? ` · ${values.length} units, strip ${formatLevel(scale.lo)} to ${formatLevel(scale.hi)}` : ''}
      </Text>
      {values ? (
        <>
          <Text dimColor wrap="truncate">{stripRuler(perLine, values.length)}</Text>
          {lines.map((line, i) => (
            <Text key={i} wrap="truncate">
              <Text dimColor>{String(i * perLine).padStart(PREFIX - 1)} </Text>
              {color
                ? line.map((v, j) =>
                    i * perLine + j === unit ? (
                      // The shown unit: a diamond in black or white on its own colour.
                      <Text key={j} bold backgroundColor={rgbHex(scaleRgb(v, scale))} color={rgbHex(contrastingText(scaleRgb(v, scale)))}>
                        ◆
                      </Text>
                    ) : (
                      <Text key={j} color={rgbHex(scaleRgb(v, scale))}>
                        █
                      </Text>
                    ),
                  )
                : line.map((v, j) => (i * perLine + j === unit ? '◆' : scaleShade(v, scale))).join('')}
            </Text>
          ))}
        </>
      ) : (
        <Text dimColor>this token has no {kind} trace for layer {layer + 1} (k picks another kind)</Text>
      )}
      <Text wrap="wrap">
        <Text dimColor>top: </Text>
        {token.top.map((c) => `${visibleToken(c.text, 12)} ${formatProb(c.prob)}`).join('  ')}
      </Text>
    </Box>
  );
}

/** Probabilities below 0.01 still show how small they are, not "0.00". */
export function formatProb(p: number): string {
  if (p >= 0.01 || p === 0) return p.toFixed(2);
  return p.toExponential(0);
}
