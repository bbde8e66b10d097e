// The prompt (or model path) input: bright with a cursor while editing, one dim line (with how to focus
// it) otherwise. A long prompt shows at most a few rows, those around the cursor.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import { inputRows, type InputPiece } from './screen-layout.ts';

export interface PromptInputProps {
  label: string;
  value: string;
  focused: boolean;
  hint: string;
  /** Cursor position in code points (while focused). */
  cursor?: number;
  width: number;
  maxRows: number;
}

/** The rows the input takes, as drawn. */
export function promptInputRows({ label, value, focused, hint, cursor, width, maxRows }: PromptInputProps): InputPiece[][] {
  const head = `${label} ${focused ? '›' : `(${hint})`} `;
  return inputRows(head, value, focused ? (cursor ?? [...value].length) : undefined, width, focused ? maxRows : 1);
}

export function PromptInput(props: PromptInputProps) {
  const on = useColor();
  const { focused } = props;
  return (
    <>
      {promptInputRows(props).map((row, i) => (
        <Text key={i} wrap="truncate">
          {row.map((p, j) =>
            p.part === 'label' ? (
              <Text key={j} color={tint(on, focused ? 'green' : undefined)} dimColor={!focused} bold={focused}>
                {p.text}
              </Text>
            ) : p.part === 'cursor' ? (
              <Text key={j} inverse>
                {p.text}
              </Text>
            ) : (
              <Text key={j} dimColor={!focused || p.part === 'more'}>
                {p.text}
              </Text>
            ),
          )}
        </Text>
      ))}
    </>
  );
}
