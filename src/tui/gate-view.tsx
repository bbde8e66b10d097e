// The story with every generated token coloured by its mean gate activation (or, without colour, a
// row of shade characters under each line), a cursor on the selected token, and a legend.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import type { GateKind } from '../generation/events.ts';
import { contrastingText, rgbHex, scaleRange, scaleWords, shadeChar, valueRgb } from '../render/colors.ts';
import { useColor } from './color-context.ts';
import type { Row } from './token-layout.ts';

export interface GateViewProps {
  rows: Row[];
  start: number;
  end: number;
  /** Mean activation per generated token (undefined when a token has no trace). */
  means: Array<number | undefined>;
  kind: GateKind;
  cursor: number;
}

export function GateView({ rows, start, end, means, kind, cursor }: GateViewProps) {
  const color = useColor();
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>… {start} earlier line{start === 1 ? '' : 's'}</Text> : null}
      {rows.slice(start, end).map((row, i) =>
        color ? (
          <Text key={start + i} wrap="truncate">
            {row.length === 0 ? ' ' : row.map((p, j) => <ColouredPiece key={j} text={p.text} value={p.index < 0 ? undefined : means[p.index]} kind={kind} selected={p.index === cursor} />)}
          </Text>
        ) : (
          <Box key={start + i} flexDirection="column">
            <Text wrap="truncate">{row.length === 0 ? ' ' : row.map((p, j) => <Text key={j} dimColor={p.index < 0} inverse={p.index === cursor}>{p.text}</Text>)}</Text>
            <Text wrap="truncate">{row.length === 0 ? ' ' : row.map((p) => shadeRun(p.text.length, p.index < 0 ? undefined : means[p.index], kind, p.index === cursor)).join('')}</Text>
          </Box>
        ),
      )}
      <GateLegend kind={kind} />
    </Box>
  );
}

function ColouredPiece({ text, value, kind, selected }: { text: string; value?: number; kind: GateKind; selected: boolean }) {
  if (value === undefined) return <Text dimColor inverse={selected}>{text}</Text>;
  const bg = valueRgb(value, kind);
  return (
    <Text backgroundColor={rgbHex(bg)} color={rgbHex(contrastingText(bg))} inverse={selected} underline={selected} bold={selected}>
      {text}
    </Text>
  );
}

/** Shade characters under a token; the selected token is marked with '^' so the cursor shows without colour. */
function shadeRun(n: number, value: number | undefined, kind: GateKind, selected: boolean): string {
  if (selected) return '^'.repeat(n);
  return (value === undefined ? ' ' : shadeChar(value, kind)).repeat(n);
}

const LEGEND_STEPS = 10;

export function GateLegend({ kind }: { kind: GateKind }) {
  const color = useColor();
  const [lo, hi] = scaleRange(kind);
  const words = scaleWords(kind);
  const values = Array.from({ length: LEGEND_STEPS }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / LEGEND_STEPS);
  return (
    <Text wrap="wrap">
      <Text dimColor>{kind} legend: </Text>
      low {lo} = {words.low}{' '}
      {color
        ? values.map((v, i) => <Text key={i} backgroundColor={rgbHex(valueRgb(v, kind))}> </Text>)
        : `[${values.map((v) => shadeChar(v, kind)).join('')}]`}{' '}
      high {hi} = {words.high}
    </Text>
  );
}
