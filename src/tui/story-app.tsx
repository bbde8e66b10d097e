// The story screen: wires the pure story reducer to the engine (generation, model loading), to the file
// writers and to the keys; story-screen.tsx draws each frame. Finished stories move into <Static> above
// the live block, so the scrollback keeps them. The live block is exactly one line shorter than the window
// (screen-layout.ts), the story scrolling inside it, so Ink can always erase it and the scrollback above
// survives; resizes go through ScreenStream.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, render, Static, Text, useApp, useInput, useStdout } from 'ink';
import { resolve } from 'node:path';
import { useEffect, useReducer, useRef, useState } from 'react';
import { randomSeed } from '../engine/rng.ts';
import type { GenerationEvent } from '../generation/events.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import { runDemoProcess, type DemoRunner } from '../demos/demo-runner.ts';
import { DemoScreen } from './demo-screen.tsx';
import { createBatcher } from './event-batcher.ts';
import { ColorContext, detectColor } from './color-context.ts';
import { ScreenStream } from './screen-stream.ts';
import { readingWidth, scrolled } from './screen-layout.ts';
import { exportHeatmap, saveStory } from './story-files.ts';
import { focusOf } from './gate-choice.ts';
import { storyKeyIntents, type StoryIntent } from './story-keys.ts';
import { StoryScreen, type ScreenLayout } from './story-screen.tsx';
import { initialStoryState, selectedToken, storyReducer, type InitOptions, type StoryAction } from './story-state.ts';
import { layoutTokens, rowOfToken } from './token-layout.ts';
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
        <StoryScreen state={state} columns={columns} rows={rows} modelsDir={modelsDir} onLayout={(l) => (layoutRef.current = l)} />
      )}
    </>
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
