// The live part of the training screen: progress, current figures, loss chart, the saved checkpoint, the
// run's status and the keys, each on lines of its own.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from 'ink';
import { tint, useColor } from './color-context.ts';
import { compactNumber, duration } from '../format.ts';
import { LossChart } from './loss-chart.tsx';
import { ProgressBar } from './progress-bar.tsx';
import type { TrainState } from './train-state.ts';

export function TrainDashboard({ state: s, width }: { state: TrainState; width: number }) {
  const on = useColor();
  const val =
    s.valLoss === undefined
      ? ''
      : ` · val ${s.valLoss.toFixed(3)} (best ${s.bestValLoss?.toFixed(3)}${s.bpc !== undefined ? `, ${s.bpc.toFixed(2)} bpc` : ''}${s.perplexity !== undefined ? `, ppl ${s.perplexity.toFixed(1)}` : ''})` +
        (s.score ? ` · ${s.score.name} ${(s.score.value * 100).toFixed(1)}% (best ${(s.score.best * 100).toFixed(1)}%)` : '');
  const status = s.failed
    ? `failed: ${s.failed}`
    : s.done
      ? `finished at step ${s.done.step}: ${s.done.reason} · best val ${s.done.bestValLoss.toFixed(3)} · ${duration(s.done.elapsedSec)}`
      : s.stopping
        ? 'stopping: saving a checkpoint…'
        : s.paused
          ? 'PAUSED (p resumes)'
          : 'training';
  const saved = savedLine(s.saved);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="wrap">
        <Text bold>training</Text>
        {s.params !== undefined ? ` · ${compactNumber(s.params)} params` : ''}
        {s.trainTokens !== undefined ? ` · ${compactNumber(s.trainTokens)} training tokens` : ''}
        {s.resumed ? ' · resumed' : ''}
      </Text>
      <Text wrap="wrap">
        step {s.step}/{s.maxSteps || '?'}
      </Text>
      <ProgressBar fraction={s.maxSteps ? s.step / s.maxSteps : 0} width={width} />
      <Text wrap="wrap">
        loss {s.loss?.toFixed(3) ?? '–'}
        {val}
      </Text>
      <Text wrap="wrap" dimColor>
        {s.charsPerSec !== undefined ? `${compactNumber(s.charsPerSec)} chars/s` : '– chars/s'} · ETA {s.etaSec !== undefined && !s.done ? duration(s.etaSec) : '–'} · elapsed{' '}
        {s.elapsedSec !== undefined ? duration(s.elapsedSec) : '–'}
        {s.lr !== undefined ? ` · lr ${s.lr.toExponential(1)}` : ''}
      </Text>
      <LossChart loss={s.lossHistory} val={s.valHistory} width={width} />
      {saved ? (
        <Text dimColor wrap="wrap">
          {saved}
        </Text>
      ) : null}
      <Text color={tint(on, s.failed ? 'red' : s.done ? 'green' : s.stopping || s.paused ? 'yellow' : undefined)} wrap="wrap">
        {status}
      </Text>
      {s.done || s.failed ? null : (
        <Text dimColor wrap="wrap">
          p {s.paused ? 'resume' : 'pause'} · s stop and save · Ctrl-C stop and save
        </Text>
      )}
    </Box>
  );
}

/** Where the run's checkpoints are: the latest by path (what --resume continues from), the best by step. */
export function savedLine({ best, latest }: TrainState['saved']): string {
  if (latest) return `saved latest checkpoint (step ${latest.step}) ${latest.path}${best ? ` · best at step ${best.step}` : ''}`;
  return best ? `saved best checkpoint (step ${best.step}) ${best.path}` : '';
}
