// Training loss as a braille line chart with its range on the right, and validation loss as a sparkline.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import { brailleChart, sparkline } from './line-chart.ts';

export function LossChart({ loss, val, width, height = 3 }: { loss: number[]; val: number[]; width: number; height?: number }) {
  const on = useColor();
  const label = 6;
  const scale = 7;
  const plot = Math.max(4, width - label - scale);
  const lines = loss.length > 1 ? brailleChart(loss, plot, height) : [];
  const [lo, hi] = loss.length ? [Math.min(...loss), Math.max(...loss)] : [0, 0];
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{i === 0 ? 'loss  ' : '      '}</Text>
          <Text color={tint(on, 'cyan')}>{line}</Text>
          <Text dimColor>{i === 0 ? ` ${hi.toFixed(2)}` : i === lines.length - 1 ? ` ${lo.toFixed(2)}` : ''}</Text>
        </Text>
      ))}
      {val.length > 0 ? (
        <Text wrap="truncate">
          <Text dimColor>val   </Text>
          <Text color={tint(on, 'yellow')}>{sparkline(val, plot)}</Text>
          <Text dimColor> {val[val.length - 1].toFixed(2)}</Text>
        </Text>
      ) : null}
    </Box>
  );
}
