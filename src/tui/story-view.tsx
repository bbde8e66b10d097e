// The story as it streams: the prompt dimmed, generated text plain, laid out by token-layout and shown
// through a window of rows (the tail while following, or where ↑/↓, PgUp/PgDn, Home/End scrolled to).
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import type { Row } from './token-layout.ts';

export function StoryView({ rows, start, end }: { rows: Row[]; start: number; end: number }) {
  const later = rows.length - end;
  const plural = (n: number) => (n === 1 ? '' : 's');
  return (
    <Box flexDirection="column">
      {start > 0 || later > 0 ? (
        <Text dimColor wrap="truncate">
          {start > 0 ? `… ${start} earlier line${plural(start)}` : '…'}
          {later > 0 ? ` · ${later} later line${plural(later)} (End follows the story)` : ''}
        </Text>
      ) : null}
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
