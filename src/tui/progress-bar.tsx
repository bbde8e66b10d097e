// A bar of full and light blocks with the percentage after it.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from 'ink';
import { filledCells } from '../format.ts';
import { tint, useColor } from './color-context.ts';

export function ProgressBar({ fraction, width }: { fraction: number; width: number }) {
  const on = useColor();
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const cells = Math.max(1, width - 5);
  const full = filledCells(f, cells);
  return (
    <Text>
      <Text color={tint(on, 'green')}>{'█'.repeat(full)}</Text>
      <Text dimColor>{'░'.repeat(cells - full)}</Text> {`${Math.floor(f * 100)}%`.padStart(4)}
    </Text>
  );
}
