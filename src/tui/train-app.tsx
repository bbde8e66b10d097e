// The training screen: consumes the trainer's events, keeps samples and checkpoints in <Static> above a
// live dashboard, and turns p / s / Ctrl-C into pause(), resume() and stop().
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, render, Static, Text, useApp, useInput } from 'ink';
import { useEffect, useReducer, useRef } from 'react';
import type { TrainEvent } from '../training/events.ts';
import { ColorContext, detectColor, tint, useColor } from './color-context.ts';
import { createBatcher } from './event-batcher.ts';
import { TrainDashboard } from './train-dashboard.tsx';
import { initialTrainState, trainReducer, type LogItem } from './train-state.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface TrainTuiOptions {
  events: AsyncIterable<TrainEvent>;
  pause(): void;
  resume(): void;
  stop(): void;
}

const FLUSH_MS = 50;

export function TrainApp({ events, pause, resume, stop }: TrainTuiOptions) {
  const [state, dispatch] = useReducer(trainReducer, undefined, initialTrainState);
  const { exit } = useApp();
  const { columns } = useTerminalSize();
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    let live = true;
    const batch = createBatcher<TrainEvent>((evs) => evs.forEach((event) => dispatch({ type: 'event', event })), FLUSH_MS);
    (async () => {
      try {
        for await (const event of events) {
          if (!live) break;
          batch.push(event);
        }
        batch.flush();
        // Let the final frame (with the summary) render before Ink unmounts.
        setTimeout(() => exit(), 0);
      } catch (err) {
        batch.flush();
        const error = err instanceof Error ? err : new Error(String(err));
        dispatch({ type: 'failed', message: error.message });
        setTimeout(() => exit(error), 0);
      }
    })();
    return () => {
      live = false;
      batch.cancel();
    };
  }, [events]);

  useInput((input, key) => {
    const s = stateRef.current;
    if (key.ctrl && input === 'c') {
      // The first Ctrl-C stops like s (the trainer saves a checkpoint); a second one leaves at once.
      if (s.stopping || s.done) return exit();
      stop();
      dispatch({ type: 'stop' });
      return;
    }
    if (s.done || s.stopping) return;
    if (input === 'p') {
      if (s.paused) resume();
      else pause();
      dispatch({ type: 'toggle-pause' });
    } else if (input === 's') {
      stop();
      dispatch({ type: 'stop' });
    }
  });

  return (
    <>
      <Static items={state.log}>{(item) => <LogLine key={item.id} item={item} />}</Static>
      <TrainDashboard state={state} width={columns} />
    </>
  );
}

function LogLine({ item }: { item: LogItem }) {
  const on = useColor();
  if (item.kind === 'sample') {
    return (
      <Box flexDirection="column">
        <Text dimColor>── sample at step {item.step} ──</Text>
        <Text>{item.text}</Text>
      </Box>
    );
  }
  const color = item.kind === 'error' ? 'red' : item.kind === 'warning' ? 'yellow' : undefined;
  return (
    <Text color={tint(on, color)} dimColor={item.kind === 'checkpoint'} wrap="wrap">
      {item.kind === 'warning' ? 'warning: ' : ''}
      {item.text}
    </Text>
  );
}

/**
 * Runs the training dashboard until the event stream ends; rejects with the stream's error if it fails.
 * Ctrl-C is handled as a key (stop and save) instead of killing the process mid-write.
 */
export async function runTrainTui(opts: TrainTuiOptions): Promise<void> {
  const app = render(
    <ColorContext.Provider value={detectColor(process.stdout)}>
      <TrainApp {...opts} />
    </ColorContext.Provider>,
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
}
