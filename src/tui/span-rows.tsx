// Draws rows that screen-layout.ts has already wrapped: one Ink line each, never re-wrapped by Ink, so
// the frame is exactly as tall as the budget counted.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import type { Span } from './screen-layout.ts';

export function SpanRows({ rows }: { rows: Span[][] }) {
  return (
    <>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate">
          {row.length === 0
            ? ' '
            : row.map((s, j) => (
                <Text key={j} bold={s.bold} dimColor={s.dim} color={s.color}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </>
  );
}
