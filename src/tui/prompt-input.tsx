// One-line text input; bright with a cursor while editing, dim (with how to focus it) otherwise.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import { tint, useColor } from './color-context.ts';

export function PromptInput({ label, value, focused, hint }: { label: string; value: string; focused: boolean; hint: string }) {
  const on = useColor();
  return (
    <Text wrap="wrap">
      <Text color={tint(on, focused ? 'green' : undefined)} dimColor={!focused} bold={focused}>
        {label} {focused ? '›' : `(${hint})`}{' '}
      </Text>
      <Text dimColor={!focused}>{value}</Text>
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}
