// What the generator is doing, plus the latest message (errors in red, never a crash).
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import type { Message, Run } from './story-state.ts';

export function StatusLine({ run, message }: { run?: Run; message?: Message }) {
  const on = useColor();
  const total = run?.options.length ?? 0;
  const status = !run
    ? 'ready'
    : run.status === 'streaming'
      ? `generating ${run.tokens.length}/${total}…`
      : run.status === 'done'
        ? `done: ${run.tokens.length} tokens (${run.endReason})`
        : 'failed';
  return (
    <Text wrap="wrap">
      <Text color={tint(on, run?.status === 'streaming' ? 'yellow' : undefined)} dimColor={run?.status !== 'streaming'}>
        {status}
      </Text>
      {message ? <Text color={tint(on, message.kind === 'error' ? 'red' : 'green')}> · {message.text}</Text> : null}
    </Text>
  );
}
