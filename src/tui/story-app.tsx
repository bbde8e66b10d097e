// The story screen: wires the pure story reducer to the engine (generation, model loading) and to the
// file writers, and lays out header, prompt, story or gate view, status and key hints. Finished stories
// move into <Static> above the live block, so the scrollback keeps them. The live block is exactly one
// line shorter than the window (screen-layout.ts), the story scrolling inside it, so Ink can always
// erase it and the scrollback above survives; resizes go through ScreenStream.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, measureElement, render, Static, Text, useApp, useInput, useStdout, type DOMElement } from 'ink';
import { resolve } from 'node:path';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { randomSeed } from '../engine/rng.ts';
import type { GenerationEvent } from '../generation/events.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import { runDemoProcess, type DemoRunner } from '../demos/demo-runner.ts';
import { DemoScreen } from './demo-screen.tsx';
import { createBatcher } from './event-batcher.ts';
import { ColorContext, detectColor, useColor } from './color-context.ts';
import { layerCount } from './gate-stats.ts';
import { GateArea } from './gate-view.tsx';
import { headerRows } from './header.tsx';
import { helpHeight, HelpOverlay } from './help-overlay.tsx';
import { keyHintRows } from './key-hints.tsx';
import { PromptInput, promptInputRows } from './prompt-input.tsx';
import { ScreenStream } from './screen-stream.ts';
import { frameBudget, promptRowLimit, READING_WIDTH, readingWidth, scrolled, scrollWindow } from './screen-layout.ts';
import { SpanRows } from './span-rows.tsx';
import { exportHeatmap, saveStory } from './story-files.ts';
import { focusOf } from './gate-choice.ts';
import { storyKeyIntents, type StoryIntent } from './story-keys.ts';
import { gateTokens } from './story-run.ts';
import { initialStoryState, selectedToken, storyReducer, type InitOptions, type StoryAction, type StoryState } from './story-state.ts';
import { statusRows } from './status-line.tsx';
import { StoryView } from './story-view.tsx';
import { layoutTokens, rowOfToken, visibleRows, type Piece, type Row } from './token-layout.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface StoryAppProps {
  engine: StoryEngine;
  init: InitOptions;
  modelsDir: string;
  /** Where w and e write files. */
  outDir: string;
  /** Draws the seed for n (default: the generator's own random seeds, so both look alike). */
  randomSeed?: () => string;
  /** Runs a teaching demo for the D screen (default: a `storyteller demo` child process). */
  runDemo?: DemoRunner;
}

// Events are applied in batches: a fast engine would otherwise re-render the whole screen per token.
const FLUSH_MS = 30;

/** Exit status after Ctrl-C, as a shell reports a program ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

export function StoryApp({ engine, init, modelsDir, outDir, randomSeed: drawSeed = randomSeed, runDemo = runDemoProcess }: StoryAppProps) {
  const [state, dispatch] = useReducer(storyReducer, init, initialStoryState);
  // The demo screen takes over the keys and the live block; a story being told keeps streaming behind it.
  const [demosOpen, setDemosOpen] = useState(false);
  // Set at once on D: useInput's isActive takes effect only after React's passive effects run, which
  // can be after the next key arrives.
  const demosOpenRef = useRef(false);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const stateRef = useRef(state);
  stateRef.current = state;
  const layoutRef = useRef<ScreenLayout>({ rows: [], storyRows: 0, helpLines: 0, helpRows: 0 });
  // Text between the bracketed-paste markers (ESC[200~ … ESC[201~), or null outside a paste.
  const pasting = useRef<string | null>(null);
  const { stdout, write } = useStdout();

  useEffect(() => {
    // Bracketed paste: the terminal marks pasted text, so it is never taken for command keys.
    if (!stdout.isTTY) return;
    stdout.write('\x1b[?2004h');
    if (stdout instanceof ScreenStream) stdout.redraw = write;
    return () => {
      stdout.write('\x1b[?2004l');
    };
  }, [stdout]);

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
        exit(intent.interrupted ? EXIT_INTERRUPTED : 0);
        return;
      case 'new-seed':
        dispatch({ type: 'set-seed', seed: drawSeed() });
        return;
      case 'scroll-by':
        return scrollBy(intent.by, intent.dir);
      case 'open-demos':
        demosOpenRef.current = true;
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
        if (!s.gates.visible) return dispatch(info('e exports the heatmap in the gate view: g opens it'));
        dispatch(info(`exporting the ${kind} heatmap…`));
        exportHeatmap(s.run, { layer, kind, focus: focusOf(s.gates), scale: s.gates.scale }, outDir).then(
          (p) => dispatch(info(`saved the ${kind} heatmap to ${p.svgPath} and ${p.pngPath}`)),
          (err) => dispatch(error(`could not export: ${errorMessage(err)}`)),
        );
        return;
      }
      default:
        dispatch(intent);
    }
  };

  /** ↑/↓, PgUp/PgDn, Home/End: the help or the story scrolls; in the gate view the cursor moves by rows. */
  const scrollBy = (by: 'row' | 'page' | 'edge', dir: 1 | -1) => {
    const s = stateRef.current;
    const { rows, storyRows, helpLines, helpRows } = layoutRef.current;
    if (s.help) {
      const top = Math.min(Math.max(0, helpLines - helpRows), s.helpTop);
      const step = by === 'row' ? 1 : by === 'page' ? Math.max(1, helpRows - 1) : helpLines;
      return dispatch({ type: 'help-scroll', top: Math.min(Math.max(0, helpLines - helpRows), top + dir * step) });
    }
    const page = Math.max(1, storyRows - 1);
    if (s.gates.visible) {
      if (by === 'edge') return dispatch({ type: 'cursor-edge', edge: dir < 0 ? 'start' : 'end' });
      const from = rowOfToken(rows, selectedToken(s));
      if (from < 0) return;
      const target = Math.max(0, Math.min(rows.length - 1, from + dir * (by === 'row' ? 1 : page)));
      const token = rows[target].find((p) => p.index >= 0)?.index;
      if (token !== undefined && target !== from) dispatch({ type: 'move-cursor', delta: token - selectedToken(s) });
      return;
    }
    if (by === 'edge') return dispatch({ type: 'scroll', top: dir < 0 && rows.length > storyRows ? 0 : null });
    dispatch({ type: 'scroll', top: scrolled(rows.length, storyRows, s.scrollTop, dir * (by === 'row' ? 1 : page)) });
  };

  useInput(
    (input, key) => {
      if (demosOpenRef.current) return;
      // A bracketed paste arrives as its start marker, the text (maybe in several reads) and its end marker.
      if (input === '[200~') {
        pasting.current = '';
        return;
      }
      if (pasting.current !== null) {
        if (input === '[201~') {
          const text = pasting.current;
          pasting.current = null;
          perform({ type: 'paste', text });
        } else pasting.current += key.return ? '\n' : input;
        return;
      }
      for (const intent of storyKeyIntents(stateRef.current, input, key)) perform(intent);
    },
    { isActive: !demosOpen },
  );

  return (
    <>
      <Static items={state.history}>
        {(item) => (
          <Box key={item.id} flexDirection="column" marginBottom={1}>
            <Text dimColor wrap="truncate">
              ── {item.title}
            </Text>
            {/* Wrapped here at the reading width, so no line in the scrollback starts with a space. */}
            <Text>{layoutTokens([{ index: 0, text: item.text }], readingWidth(columns)).map((r) => r.map((p) => p.text).join('').trimEnd()).join('\n')}</Text>
          </Box>
        )}
      </Static>
      {demosOpen ? (
        // Held to the window's height like the story screen, so a resize or a long report never scrolls it.
        <Box flexDirection="column" height={rows > 0 ? rows - 1 : undefined} overflow="hidden">
          <DemoScreen runDemo={runDemo} modelsDir={modelsDir} columns={columns} rows={rows} onClose={() => {
              demosOpenRef.current = false;
              setDemosOpen(false);
            }} onQuit={exit} />
        </Box>
      ) : (
        <Screen state={state} columns={columns} rows={rows} modelsDir={modelsDir} onLayout={(l) => (layoutRef.current = l)} />
      )}
    </>
  );
}

interface ScreenProps {
  state: StoryState;
  columns: number;
  rows: number;
  modelsDir: string;
  /** Receives what was drawn, so scrolling keys know the rows and the page size. */
  onLayout: (layout: ScreenLayout) => void;
}

/** What the last frame showed: the story rows and how many fit, and the help's size. */
export interface ScreenLayout {
  rows: Row[];
  storyRows: number;
  helpLines: number;
  helpRows: number;
}

function Screen({ state, columns, rows, modelsDir, onLayout }: ScreenProps) {
  const color = useColor();
  const { run, gates } = state;
  const width = readingWidth(columns);
  // Once the prompt has been read its tokens come first (inspectable like the story's); until then the
  // prompt is one dim piece (-1).
  const tokens = useMemo(() => gateTokens(run), [run?.promptTokens, run?.tokens]);
  const promptCount = tokens.length - (run?.tokens.length ?? 0);
  const pieces = useMemo<Piece[]>(
    () => (!run ? [] : promptCount > 0 ? tokens.map((t, index) => ({ index, text: t.text })) : [{ index: -1, text: run.primeText }, ...run.tokens.map((t, index) => ({ index, text: t.text }))]),
    [run?.primeText, tokens, promptCount],
  );
  const laidOut = useMemo(() => layoutTokens(pieces, width), [pieces, width]);
  const cursor = selectedToken(state);
  const layers = layerCount(tokens, state.model?.layers ?? 1);

  // Every part is wrapped here and counted, so the frame is exactly rows - 1 lines (screen-layout.ts).
  const header = headerRows({ model: state.model, modelRef: state.modelRef, loading: Boolean(state.loading), settings: state.settings }, columns, color);
  const promptProps = {
    label: 'prompt',
    value: state.mode === 'prompt' ? state.promptDraft : state.prime,
    focused: state.mode === 'prompt',
    hint: 'p to edit',
    cursor: state.draftCursor,
    width: columns,
    maxRows: promptRowLimit(rows),
  };
  const pathProps = { label: `model (a name in ${modelsDir} or a path)`, value: state.pathDraft, focused: true, hint: 'o', cursor: state.draftCursor, width: columns, maxRows: 2 };
  const promptHeight = promptInputRows(promptProps).length;
  const pathHeight = state.mode === 'path' ? promptInputRows(pathProps).length : 0;
  const status = statusRows(run, state.message, columns, color);
  const hints = keyHintRows(state.mode, gates.visible, columns);
  const budget = frameBudget(rows, { header: header.length, prompt: promptHeight, path: pathHeight, status: status.length, hints: hints.length });
  const bounded = Number.isFinite(budget.main);

  // The gate view's legend and panel are measured after each frame; the story rows get the rest. One
  // row is kept for the "… earlier lines" marker; without colour each story row has a shade row under it.
  const gateBox = useRef<DOMElement>(null);
  const [gateExtra, setGateExtra] = useState(6);
  const linesPerRow = gates.visible && !color ? 2 : 1;
  const storyRows = bounded ? Math.max(1, Math.floor((budget.main - 1 - (gates.visible ? gateExtra : 0)) / linesPerRow)) : 0;
  const focus = gates.visible && gates.cursor !== null ? rowOfToken(laidOut, cursor) : undefined;
  const { start, end } = gates.visible ? visibleRows(laidOut, storyRows, focus) : scrollWindow(laidOut.length, storyRows, state.scrollTop);
  // Layout effects run right after Ink has laid the frame out, so the measure is of this very frame.
  useLayoutEffect(() => {
    if (!gates.visible || !gateBox.current) return;
    const extra = measureElement(gateBox.current).height - (end - start) * linesPerRow - (start > 0 ? 1 : 0);
    if (extra !== gateExtra) setGateExtra(Math.max(0, extra));
  });
  const helpWidth = Math.min(columns, READING_WIDTH);
  const helpLines = helpHeight(helpWidth) - 3;
  useLayoutEffect(() => {
    onLayout({ rows: laidOut, storyRows: storyRows || laidOut.length, helpLines, helpRows: bounded ? budget.main - 3 : helpLines });
  });

  return (
    <Box flexDirection="column" width={columns} height={bounded ? rows - 1 : undefined} overflow="hidden">
      <SpanRows rows={header} />
      <PromptInput {...promptProps} />
      {state.mode === 'path' ? <PromptInput {...pathProps} /> : null}
      <Box flexDirection="column" height={bounded ? budget.main : undefined} overflow="hidden" flexShrink={0}>
        {state.help ? (
          <HelpOverlay width={helpWidth} maxRows={bounded ? budget.main : helpHeight(helpWidth)} top={state.helpTop} />
        ) : gates.visible ? (
          <Box ref={gateBox} flexDirection="column" flexShrink={0}>
            <GateArea rows={laidOut} start={start} end={end} tokens={tokens} promptCount={promptCount} gates={gates} cursor={cursor} layers={layers} width={columns} />
          </Box>
        ) : (
          <StoryView rows={laidOut} start={start} end={end} />
        )}
      </Box>
      <SpanRows rows={status} />
      <SpanRows rows={hints.slice(0, budget.hints)} />
    </Box>
  );
}

function info(text: string): StoryAction {
  return { type: 'message', message: { kind: 'info', text } };
}

function error(text: string): StoryAction {
  return { type: 'message', message: { kind: 'error', text } };
}

/** An error as the status line says it. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // The engine's messages name command-line flags; on this screen a key does the same.
  return text.replace('(use --unknown skip|replace)', '(press u to skip or replace them)');
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
  const screen = new ScreenStream(process.stdout);
  const app = render(
    <ColorContext.Provider value={detectColor(process.stdout)}>
      <StoryApp engine={engine} init={init} modelsDir={modelsDir} outDir={resolve('stories')} />
    </ColorContext.Provider>,
    // Ctrl-C is a key like q: the app aborts the running story and unmounts cleanly (exit status 130).
    { exitOnCtrlC: false, stdout: screen as unknown as NodeJS.WriteStream },
  );
  try {
    const code = await app.waitUntilExit();
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n`);
    return 1;
  } finally {
    screen.close();
  }
}
