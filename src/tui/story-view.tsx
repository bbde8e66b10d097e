// The story as it streams: the prompt dimmed, generated text plain, laid out by token-layout so long
// stories show their tail (or the cursor's neighbourhood) within the rows the terminal has.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import type { Row } from './token-layout.ts';

export function StoryView({ rows, start, end }: { rows: Row[]; start: number; end: number }) {
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>… {start} earlier line{start === 1 ? '' : 's'}</Text> : null}
      {rows.slice(start, end).map((row, i) => (
        <Text key={start + i} wrap="truncate">
          {row.length === 0 ? ' ' : row.map((p, j) => (
            <Text key={j} dimColor={p.index < 0}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
