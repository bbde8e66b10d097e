// The training screen: consumes the trainer's events, keeps samples and warnings in <Static> above a
// live dashboard, and turns p / s / Ctrl-C into pause(), resume() and stop(). runTrainTui runs the trainer
// in a worker thread, so keys and redraws never wait for a training step.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, render, Static, Text, useApp, useInput } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { TrainEvent } from '../training/events.ts';
import { startTrainerThread } from '../training/trainer-thread.ts';
import type { SharedTrainControl, TrainJob } from '../training/trainer-worker-protocol.ts';
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
  /** Called when Ctrl-C stops the run (besides stop()), so the command can exit 130. */
  onInterrupt?(): void;
}

const FLUSH_MS = 50;

export function TrainApp({ events, pause, resume, stop, onInterrupt }: TrainTuiOptions) {
  const [state, dispatch] = useReducer(trainReducer, undefined, initialTrainState);
  const { exit } = useApp();
  const { columns } = useTerminalSize();
  const [ended, setEnded] = useState<{ error?: Error } | null>(null);
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
        setEnded({});
      } catch (err) {
        batch.flush();
        const error = err instanceof Error ? err : new Error(String(err));
        dispatch({ type: 'failed', message: error.message });
        setEnded({ error });
      }
    })();
    return () => {
      live = false;
      batch.cancel();
    };
  }, [events]);

  // Unmount only once the final state (the summary, or the failure) has been committed, so the last frame
  // Ink draws shows it; a timer could fire before React renders on a busy machine.
  useEffect(() => {
    if (ended) exit(ended.error);
  }, [ended]);

  useInput((input, key) => {
    const s = stateRef.current;
    if (key.ctrl && input === 'c') {
      // The first Ctrl-C stops like s (the trainer saves a checkpoint); a second one leaves at once.
      if (s.stopping || s.done || s.failed) return exit();
      onInterrupt?.();
      stop();
      dispatch({ type: 'stop' });
      return;
    }
    if (s.done || s.stopping || s.failed) return;
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
  return (
    <Text color={tint(on, 'yellow')} wrap="wrap">
      warning: {item.text}
    </Text>
  );
}

export interface TrainTuiRun {
  job: TrainJob;
  /** Pause and stop; the command's signal handlers may set it too. */
  control: SharedTrainControl;
}

/**
 * Runs `job` in a worker thread under the training dashboard until the run ends; rejects with the run's
 * error. Ctrl-C is a key (stop and save) instead of killing the process mid-write; a second one leaves at
 * once, ending the worker. Resolves with whether the run was interrupted by Ctrl-C.
 */
export async function runTrainTui({ job, control }: TrainTuiRun): Promise<{ interrupted: boolean }> {
  const thread = startTrainerThread(job, control);
  let interrupted = false;
  const app = render(
    <ColorContext.Provider value={detectColor(process.stdout)}>
      <TrainApp
        events={thread.events}
        pause={() => (control.paused = true)}
        resume={() => (control.paused = false)}
        stop={() => (control.stopRequested = true)}
        onInterrupt={() => (interrupted = true)}
      />
    </ColorContext.Provider>,
    { exitOnCtrlC: false },
  );
  try {
    await app.waitUntilExit();
  } finally {
    await thread.close();
  }
  return { interrupted };
}
