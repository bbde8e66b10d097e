// The demo screen, opened with D from the story screen: a menu of the teaching demos; the chosen one runs
// in a child process (see demo-runner.ts) while a spinner turns, and its report is shown as the text
// tables of src/demos/format.ts, folded to the terminal width and scrollable.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { tint, useColor } from './color-context.ts';
import { demoKeyIntents, type DemoIntent } from './demo-keys.ts';
import { DEMO_NAMES, DEMO_TITLES, demoText, isAbortError, type DemoRunner } from '../demos/demo-runner.ts';
import { demoReducer, initialDemoState, type DemoScreenState } from './demo-state.ts';
import { fitText } from './fit-text.ts';

export interface DemoScreenProps {
  runDemo: DemoRunner;
  modelsDir: string;
  columns: number;
  /** 0 when unknown: the whole report is shown. */
  rows: number;
  /** Back to the story screen. */
  onClose(): void;
  onQuit(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SPIN_MS = 120;
// Title, position line, up to two hint lines and a spare row keep the live block under the terminal height.
const CHROME_ROWS = 5;

export function DemoScreen({ runDemo, modelsDir, columns, rows, onClose, onQuit }: DemoScreenProps) {
  const [state, dispatch] = useReducer(demoReducer, undefined, initialDemoState);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    if (state.phase !== 'running' || !state.demo) return;
    const { runId, demo } = state;
    // Aborted on Esc (the phase leaves 'running'), on a new run and when the screen closes or the app quits.
    const ctrl = new AbortController();
    const started = performance.now();
    runDemo(demo, { modelsDir, signal: ctrl.signal, onProgress: (line) => dispatch({ type: 'progress', runId, line }) }).then(
      (data) => dispatch({ type: 'done', runId, text: demoText(data), seconds: (performance.now() - started) / 1000 }),
      (err: unknown) => {
        if (!isAbortError(err)) dispatch({ type: 'failed', runId, message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => ctrl.abort();
  }, [state.runId, state.phase === 'running']);

  const lines = useMemo(() => (state.text ? fitText(state.text, columns) : []), [state.text, columns]);
  const page = rows > 0 ? Math.max(3, rows - CHROME_ROWS) : Math.max(1, lines.length);
  const maxScroll = Math.max(0, lines.length - page);

  useInput((input, key) => {
    for (const intent of demoKeyIntents(stateRef.current, input, key, { page, maxScroll })) perform(intent);
  });

  const perform = (intent: DemoIntent) => {
    if (intent.type === 'close') onClose();
    else if (intent.type === 'quit') onQuit();
    else dispatch(intent);
  };

  return (
    <Box flexDirection="column" width={columns}>
      <Title state={state} />
      {state.phase === 'menu' ? <Menu state={state} /> : null}
      {state.phase === 'running' ? <Running state={state} /> : null}
      {state.phase === 'result' ? <Report lines={lines} start={Math.min(state.scroll, maxScroll)} page={page} /> : null}
      {state.phase === 'error' ? <ErrorNote message={state.error ?? ''} /> : null}
      <Hints state={state} scrollable={maxScroll > 0} />
    </Box>
  );
}

function Title({ state }: { state: DemoScreenState }) {
  const on = useColor();
  const shown = state.phase === 'menu' ? '' : ` › ${state.demo}`;
  const took = state.phase === 'result' && state.seconds !== undefined ? ` · ${state.seconds.toFixed(1)} s` : '';
  return (
    <Text wrap="wrap">
      <Text bold color={tint(on, 'cyan')}>
        Teaching demos
      </Text>
      {shown}
      <Text dimColor>{took}</Text>
    </Text>
  );
}

function Menu({ state }: { state: DemoScreenState }) {
  const on = useColor();
  return (
    <Box flexDirection="column">
      {DEMO_NAMES.map((name, i) => {
        const here = i === state.selected;
        return (
          <Box key={name} flexDirection="column">
            <Text color={tint(on, here ? 'cyan' : undefined)} bold={here}>
              {here ? '›' : ' '} {i + 1} {name}
            </Text>
            <Box paddingLeft={4}>
              <Text dimColor wrap="wrap">
                {DEMO_TITLES[name]}
              </Text>
            </Box>
          </Box>
        );
      })}
      {state.notice ? <Text color={tint(on, 'yellow')}>{state.notice}</Text> : null}
    </Box>
  );
}

function Running({ state }: { state: DemoScreenState }) {
  const on = useColor();
  const [tick, setTick] = useState(0);
  const started = useRef(Date.now());
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), SPIN_MS);
    return () => clearInterval(t);
  }, []);
  const seconds = Math.floor((Date.now() - started.current) / 1000);
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text color={tint(on, 'yellow')}>{SPINNER[tick % SPINNER.length]}</Text> running {state.demo} in a separate process… {seconds} s
      </Text>
      {state.progress ? (
        <Text dimColor wrap="truncate-end">
          {state.progress}
        </Text>
      ) : null}
    </Box>
  );
}

function Report({ lines, start, page }: { lines: string[]; start: number; page: number }) {
  const shown = lines.slice(start, start + page);
  return (
    <Box flexDirection="column">
      {shown.map((l, i) =>
        // An empty Text takes no row; the blank line between two tables needs one.
        l ? (
          <Text key={start + i} wrap="truncate-end">
            {l}
          </Text>
        ) : (
          <Box key={start + i} height={1} />
        ),
      )}
      {lines.length > page ? (
        <Text dimColor>
          lines {start + 1}-{Math.min(lines.length, start + page)} of {lines.length}
        </Text>
      ) : null}
    </Box>
  );
}

function ErrorNote({ message }: { message: string }) {
  const on = useColor();
  return (
    <Text wrap="wrap" color={tint(on, 'red')}>
      {message}
    </Text>
  );
}

function Hints({ state, scrollable }: { state: DemoScreenState; scrollable: boolean }) {
  const line =
    state.phase === 'menu'
      ? `↑/↓ choose · Enter or 1-${DEMO_NAMES.length} run · Esc story · q quit`
      : state.phase === 'running'
        ? 'Esc cancel · q quit'
        : state.phase === 'result'
          ? `${scrollable ? '↑/↓ PgUp/PgDn scroll · ' : ''}r run again · Esc menu · q quit`
          : 'r try again · Esc menu · q quit';
  return (
    <Text dimColor wrap="wrap">
      {line}
    </Text>
  );
}
