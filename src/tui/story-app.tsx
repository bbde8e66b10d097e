// The story screen: wires the pure story reducer to the engine (generation, model loading) and to the
// file writers, and lays out header, prompt, story or gate view, status and key hints. Finished stories
// move into <Static> above the live block, so the scrollback keeps them.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, render, Static, Text, useApp, useInput } from 'ink';
import { resolve } from 'node:path';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { GenerationEvent } from '../generation/events.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import { runDemoProcess, type DemoRunner } from '../demos/demo-runner.ts';
import { DemoScreen } from './demo-screen.tsx';
import { createBatcher } from './event-batcher.ts';
import { ColorContext, detectColor, useColor } from './color-context.ts';
import { GatePanel } from './gate-panel.tsx';
import { meanValue, unitValues, layerCount } from './gate-stats.ts';
import { GateView } from './gate-view.tsx';
import { Header } from './header.tsx';
import { HelpOverlay } from './help-overlay.tsx';
import { KeyHints, keyHintLines } from './key-hints.tsx';
import { PromptInput } from './prompt-input.tsx';
import { exportHeatmap, saveStory } from './story-files.ts';
import { storyKeyIntents, type StoryIntent } from './story-keys.ts';
import { initialStoryState, selectedToken, storyReducer, type InitOptions, type StoryAction, type StoryState } from './story-state.ts';
import { StatusLine } from './status-line.tsx';
import { StoryView } from './story-view.tsx';
import { layoutTokens, rowOfToken, visibleRows, type Piece } from './token-layout.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface StoryAppProps {
  engine: StoryEngine;
  init: InitOptions;
  modelsDir: string;
  /** Where w and e write files. */
  outDir: string;
  randomSeed?: () => string;
  /** Runs a teaching demo for the D screen (default: a `storyteller demo` child process). */
  runDemo?: DemoRunner;
}

// Events are applied in batches: a fast engine would otherwise re-render the whole screen per token.
const FLUSH_MS = 30;

export function StoryApp({ engine, init, modelsDir, outDir, randomSeed = defaultSeed, runDemo = runDemoProcess }: StoryAppProps) {
  const [state, dispatch] = useReducer(storyReducer, init, initialStoryState);
  // The demo screen takes over the keys and the live block; a story being told keeps streaming behind it.
  const [demosOpen, setDemosOpen] = useState(false);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    engine.listModels().then(
      (models) => dispatch({ type: 'models-listed', models }),
      () => {},
    );
  }, [engine]);

  const loading = state.loading;
  useEffect(() => {
    if (!loading) return;
    let live = true;
    engine.loadModel(loading.target).then(
      (model) => live && dispatch({ type: 'model-loaded', id: loading.id, model }),
      (err) => live && dispatch({ type: 'model-failed', id: loading.id, message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [loading?.id]);

  const run = state.run;
  useEffect(() => {
    if (!run || run.status !== 'streaming') return;
    // Aborted when a newer run replaces this one (r, c, Enter, model switch) or the app quits.
    const ctrl = new AbortController();
    const batch = createBatcher<GenerationEvent>((events) => dispatch({ type: 'gen-events', runId: run.id, events }), FLUSH_MS);
    (async () => {
      try {
        for await (const event of engine.generate(run.model, run.options, ctrl.signal)) {
          if (ctrl.signal.aborted) break;
          batch.push(event);
        }
        batch.flush();
      } catch (err) {
        batch.flush();
        if (!ctrl.signal.aborted) dispatch({ type: 'gen-failed', runId: run.id, message: errorMessage(err) });
      }
    })();
    return () => {
      ctrl.abort();
      batch.cancel();
    };
  }, [run?.id]);

  const perform = (intent: StoryIntent) => {
    const s = stateRef.current;
    switch (intent.type) {
      case 'quit':
        exit();
        return;
      case 'new-seed':
        dispatch({ type: 'set-seed', seed: randomSeed() });
        return;
      case 'open-demos':
        setDemosOpen(true);
        return;
      case 'save':
        if (!s.run) return dispatch(error('nothing to save yet: generate a story first'));
        saveStory(s.run, outDir).then(
          (p) => dispatch(info(`saved the story to ${p.textPath} and its gates to ${p.gatesPath}`)),
          (err) => dispatch(error(`could not save: ${errorMessage(err)}`)),
        );
        return;
      case 'export': {
        if (!s.run) return dispatch(error('nothing to export yet: generate a story first'));
        const { layer, kind } = s.gates;
        dispatch(info(`exporting the ${kind} heatmap…`));
        exportHeatmap(s.run, layer, kind, outDir).then(
          (p) => dispatch(info(`saved the ${kind} heatmap to ${p.svgPath} and ${p.pngPath}`)),
          (err) => dispatch(error(`could not export: ${errorMessage(err)}`)),
        );
        return;
      }
      default:
        dispatch(intent);
    }
  };

  useInput(
    (input, key) => {
      for (const intent of storyKeyIntents(stateRef.current, input, key)) perform(intent);
    },
    { isActive: !demosOpen },
  );

  return (
    <>
      <Static items={state.history}>
        {(item) => (
          <Box key={item.id} flexDirection="column" marginBottom={1}>
            <Text dimColor>── {item.title}</Text>
            <Text>{item.text}</Text>
          </Box>
        )}
      </Static>
      {demosOpen ? (
        <DemoScreen runDemo={runDemo} modelsDir={modelsDir} columns={columns} rows={rows} onClose={() => setDemosOpen(false)} onQuit={exit} />
      ) : (
        <Screen state={state} columns={columns} rows={rows} modelsDir={modelsDir} />
      )}
    </>
  );
}

function Screen({ state, columns, rows, modelsDir }: { state: StoryState; columns: number; rows: number; modelsDir: string }) {
  const color = useColor();
  const { run, gates } = state;
  const tokens = run?.tokens ?? [];
  const pieces = useMemo<Piece[]>(
    () => (run ? [{ index: -1, text: run.primeText }, ...run.tokens.map((t, index) => ({ index, text: t.text }))] : []),
    [run?.primeText, run?.tokens],
  );
  const laidOut = useMemo(() => layoutTokens(pieces, columns), [pieces, columns]);
  const means = useMemo(() => tokens.map((t) => meanValue(unitValues(t, gates.layer, gates.kind))), [tokens, gates.layer, gates.kind]);
  const cursor = selectedToken(state);
  const layers = layerCount(tokens, state.model?.layers ?? 1);
  const units = unitValues(tokens[cursor], gates.layer, gates.kind)?.length ?? 0;

  // Keep the live block shorter than the terminal: Ink redraws everything (flickering) when it is not.
  const narrow = columns < 80 ? 2 : 0;
  const wrappedHints = keyHintLines(state.mode, gates.visible).reduce((n, l) => n + Math.max(0, Math.ceil([...l].length / columns) - 1), 0);
  const fixed = 9 + narrow + wrappedHints + (state.mode === 'path' ? 1 : 0) + (gates.visible ? 5 + narrow + Math.ceil(units / columns) : 0);
  const budget = rows > 0 ? Math.max(2, rows - fixed) : 0;
  // Without colour every story row carries a shade row beneath it.
  const storyRows = budget > 0 && gates.visible && !color ? Math.max(1, Math.floor(budget / 2)) : budget;
  const focus = gates.visible && gates.cursor !== null ? rowOfToken(laidOut, cursor) : undefined;
  const { start, end } = visibleRows(laidOut, storyRows, focus);

  return (
    <Box flexDirection="column" width={columns}>
      <Header model={state.model} modelRef={state.modelRef} loading={Boolean(state.loading)} settings={state.settings} />
      <PromptInput label="prompt" value={state.mode === 'prompt' ? state.promptDraft : state.prime} focused={state.mode === 'prompt'} hint="p to edit" />
      {state.mode === 'path' ? <PromptInput label={`model (a name in ${modelsDir} or a path)`} value={state.pathDraft} focused hint="o" /> : null}
      {state.help ? (
        <HelpOverlay />
      ) : gates.visible ? (
        <>
          <GateView rows={laidOut} start={start} end={end} means={means} kind={gates.kind} cursor={cursor} />
          <GatePanel token={tokens[cursor]} index={cursor} count={tokens.length} layer={gates.layer} layers={layers} kind={gates.kind} width={columns} />
        </>
      ) : (
        <StoryView rows={laidOut} start={start} end={end} />
      )}
      <StatusLine run={run} message={state.message} />
      <KeyHints mode={state.mode} gatesVisible={gates.visible} />
    </Box>
  );
}

function info(text: string): StoryAction {
  return { type: 'message', message: { kind: 'info', text } };
}

function error(text: string): StoryAction {
  return { type: 'message', message: { kind: 'error', text } };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function defaultSeed(): string {
  return String(Math.floor(Math.random() * 1e9));
}

export interface StoryTuiOptions {
  engine: StoryEngine;
  model: string;
  modelsDir: string;
  prime?: string;
  seed?: string;
  temperature?: number;
  topP?: number;
  length?: number;
}

/** Runs the story screen until q or Ctrl-C; resolves with the process exit code. */
export async function runStoryTui(opts: StoryTuiOptions): Promise<number> {
  const { engine, modelsDir, ...init } = opts;
  const app = render(
    <ColorContext.Provider value={detectColor(process.stdout)}>
      <StoryApp engine={engine} init={init} modelsDir={modelsDir} outDir={resolve('stories')} />
    </ColorContext.Provider>,
    // Ctrl-C is a key like q: the app aborts the running story and unmounts cleanly.
    { exitOnCtrlC: false },
  );
  try {
    await app.waitUntilExit();
    return 0;
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n`);
    return 1;
  }
}
