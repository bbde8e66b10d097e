// The gate view: the story (prompt included) with every token coloured by one unit or by a summary over the
// layer's units, on a colour scale fitted to the values shown; a cursor on the selected token, a marked span
// underlined, a legend that prints the scale's range, and the panel of the selected token below.
// Without colour, a row of shade characters runs under each line.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { GateKind } from '../generation/events.ts';
import { contrastingText, rgbHex, scaleOf, scaleWords } from '../render/colors.ts';
import { focusLabel, focusScaleKind, focusSeries, focusWords } from '../render/gate-focus.ts';
import { fitScale, formatLevel, LEGEND_BUCKETS, scaleRgb, scaleShade, scaleValueAt, SCALE_MODE_TEXT, usedPositions, type ValueScale } from '../render/gate-scale.ts';
import type { Span } from '../render/unit-suggest.ts';
import { useColor } from './color-context.ts';
import { focusOf, rankedUnits, resolvedSpan } from './gate-choice.ts';
import { GatePanel } from './gate-panel.tsx';
import { gateMatrixRows } from '../generation/gate-matrix.ts';
import type { TokenRecord } from './story-run.ts';
import type { GateViewState } from './story-state.ts';
import type { Row } from './token-layout.ts';

export interface GateAreaProps {
  rows: Row[];
  start: number;
  end: number;
  /** Prompt tokens (promptCount of them), then story tokens: what the rows' piece indices point into. */
  tokens: TokenRecord[];
  promptCount: number;
  gates: GateViewState;
  cursor: number;
  layers: number;
  width: number;
}

/** What the story is coloured by right now: one value per token, the fitted scale and the legend's words. */
export function useGateColouring(tokens: TokenRecord[], gates: GateViewState) {
  const { layer, kind, unit, summary, scale: mode } = gates;
  return useMemo(() => gateColouring(tokens, layer, kind, unit === null ? { summary } : { unit }, mode), [tokens, layer, kind, unit, summary, mode]);
}

export function gateColouring(tokens: TokenRecord[], layer: number, kind: GateKind, focus: ReturnType<typeof focusOf>, mode: ValueScale['mode']) {
  const { rows } = gateMatrixRows(tokens, layer, kind);
  const values = focusSeries(rows, kind, focus);
  const scaleKind = focusScaleKind(kind, focus);
  const scale = fitScale(values, scaleKind, mode);
  const words = focusWords(kind, focus) ?? scaleWords(scaleKind);
  return { values, scale, label: focusLabel(kind, focus), words };
}

export function GateArea({ rows, start, end, tokens, promptCount, gates, cursor, layers, width }: GateAreaProps) {
  const { values, scale, label, words } = useGateColouring(tokens, gates);
  const span = resolvedSpan(gates, cursor);
  const ranked = useMemo(
    () => (gates.unit === null ? [] : rankedUnits(gates, { tokens, layer: gates.layer, kind: gates.kind, cursor })),
    // The ranking depends on the cursor only through an open span.
    [tokens, gates.layer, gates.kind, gates.rule, gates.unit === null, span?.from, span?.to],
  );
  const rank = gates.unit === null ? 0 : ranked.findIndex((s) => s.unit === gates.unit) + 1;
  return (
    <Box flexDirection="column">
      <GateView rows={rows} start={start} end={end} values={values} scale={scale} cursor={cursor} span={span} />
      <GateLegend
        label={label}
        scale={scale}
        words={words}
        layer={gates.layer}
        layers={layers}
        suggestion={rank > 0 ? `${rank}/${ranked.length} by rule "${gates.rule}" (x)` : undefined}
        span={span}
        marking={gates.span?.to === null}
      />
      <GatePanel
        token={tokens[cursor]}
        index={cursor}
        count={tokens.length}
        promptCount={promptCount}
        layer={gates.layer}
        kind={gates.kind}
        unit={gates.unit}
        mode={gates.scale}
        tokens={tokens}
        width={width}
      />
    </Box>
  );
}

export interface GateViewProps {
  rows: Row[];
  start: number;
  end: number;
  /** The value each token is coloured by (undefined when a token has no trace). */
  values: Array<number | undefined>;
  scale: ValueScale;
  cursor: number;
  span?: Span;
}

export function GateView({ rows, start, end, values, scale, cursor, span }: GateViewProps) {
  const color = useColor();
  const inSpan = (i: number) => span !== undefined && i >= span.from && i <= span.to;
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>… {start} earlier line{start === 1 ? '' : 's'}</Text> : null}
      {rows.slice(start, end).map((row, i) =>
        color ? (
          <Text key={start + i} wrap="truncate">
            {row.length === 0
              ? ' '
              : row.map((p, j) => <ColouredPiece key={j} text={p.text} value={p.index < 0 ? undefined : values[p.index]} scale={scale} selected={p.index === cursor} marked={inSpan(p.index)} />)}
          </Text>
        ) : (
          <Box key={start + i} flexDirection="column">
            <Text wrap="truncate">
              {row.length === 0 ? ' ' : row.map((p, j) => <Text key={j} dimColor={p.index < 0} inverse={p.index === cursor} underline={inSpan(p.index)}>{p.text}</Text>)}
            </Text>
            <Text wrap="truncate">{row.length === 0 ? ' ' : row.map((p) => shadeRun(p.text.length, p.index < 0 ? undefined : values[p.index], scale, p.index === cursor)).join('')}</Text>
          </Box>
        ),
      )}
    </Box>
  );
}

function ColouredPiece({ text, value, scale, selected, marked }: { text: string; value?: number; scale: ValueScale; selected: boolean; marked: boolean }) {
  if (value === undefined) return <Text dimColor inverse={selected} underline={marked}>{text}</Text>;
  const bg = scaleRgb(value, scale);
  return (
    <Text backgroundColor={rgbHex(bg)} color={rgbHex(contrastingText(bg))} inverse={selected} underline={selected || marked} bold={selected}>
      {text}
    </Text>
  );
}

/** Shade characters under a token; the selected token is marked with '^' so the cursor shows without colour. */
function shadeRun(n: number, value: number | undefined, scale: ValueScale, selected: boolean): string {
  if (selected) return '^'.repeat(n);
  return scaleShade(value, scale).repeat(n);
}

export interface GateLegendProps {
  label: string;
  scale: ValueScale;
  words: { low: string; high: string };
  layer: number;
  layers: number;
  /** Where the shown unit ranks among the suggestions. */
  suggestion?: string;
  span?: Span;
  marking?: boolean;
}

/** Values at the middle of each legend bucket, low to high. */
export function legendValues(scale: ValueScale, steps = LEGEND_BUCKETS): number[] {
  const [a, b] = usedPositions(scale);
  return Array.from({ length: steps }, (_, i) => scaleValueAt(a + ((b - a) * (i + 0.5)) / steps, scale));
}

const ABSOLUTE_CELLS = 20;

export function GateLegend({ label, scale, words, layer, layers, suggestion, span, marking }: GateLegendProps) {
  const color = useColor();
  const swatches = legendValues(scale);
  const gateLike = scaleOf(scale.kind) === 'gate';
  // Where the fitted range sits on the absolute 0–1 axis of a gate: its colours inside, dots outside.
  const absolute = Array.from({ length: ABSOLUTE_CELLS }, (_, i) => (i + 0.5) / ABSOLUTE_CELLS);
  const inRange = (v: number) => v >= scale.lo - 0.5 / ABSOLUTE_CELLS && v <= scale.hi + 0.5 / ABSOLUTE_CELLS;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text dimColor>colour: </Text>
        <Text bold>{label}</Text>
        <Text dimColor> · layer {layer + 1}/{layers}</Text>
        {suggestion ? <Text dimColor> · suggestion {suggestion}</Text> : null}
        {span ? <Text dimColor> · span: tokens {span.from + 1}-{span.to + 1}{marking ? ' (follows the cursor; b ends it)' : ' (b clears)'}</Text> : null}
      </Text>
      <Text wrap="wrap">
        {formatLevel(scale.lo)}{' '}
        {color ? swatches.map((v, i) => <Text key={i} backgroundColor={rgbHex(scaleRgb(v, scale))}> </Text>) : `[${swatches.map((v) => scaleShade(v, scale)).join('')}]`}{' '}
        {formatLevel(scale.hi)}{' '}
        <Text dimColor>
          {gateLike ? `${words.low} → ${words.high}` : '0 is grey, blue below, red above'} · scale: {SCALE_MODE_TEXT[scale.mode]} (z)
        </Text>
      </Text>
      {gateLike ? (
        <Text wrap="wrap">
          <Text dimColor>on 0–1: </Text>0{' '}
          {color
            ? absolute.map((v, i) => (inRange(v) ? <Text key={i} backgroundColor={rgbHex(scaleRgb(v, scale))}> </Text> : <Text key={i} dimColor>·</Text>))
            : absolute.map((v) => (inRange(v) ? '█' : '·')).join('')}{' '}
          1 <Text dimColor>(0 {words.low}, 1 {words.high})</Text>
        </Text>
      ) : null}
    </Box>
  );
}
