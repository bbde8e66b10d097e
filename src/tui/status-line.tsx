// What the generator is doing, plus the latest message (errors in red, never a crash).
import { tint } from './color-context.ts';
import { wrapSpans, type Span } from './screen-layout.ts';
import type { Run } from './story-run.ts';
import type { Message } from './story-state.ts';

/** The status line wrapped to `width` (a long message takes several rows, all counted). */
export function statusRows(run: Run | undefined, message: Message | undefined, width: number, on: boolean): Span[][] {
  const total = run?.options.length ?? 0;
  const status = !run
    ? 'ready'
    : run.status === 'streaming'
      ? `generating ${run.tokens.length}/${total}…`
      : run.status === 'done'
        ? `done: ${run.tokens.length} tokens (${run.endReason})`
        : 'failed';
  const spans: Span[] = [{ text: status, color: tint(on, run?.status === 'streaming' ? 'yellow' : undefined), dim: run?.status !== 'streaming' }];
  if (message) spans.push({ text: ` · ${message.text}`, color: tint(on, message.kind === 'error' ? 'red' : 'green') });
  return wrapSpans(spans, width);
}
