// One frame of the story screen: header, prompt (and path) inputs, the story or the gate view or the help,
// status and key hints, every part wrapped and counted so the frame is exactly one line shorter than the
// window (screen-layout.ts). The story scrolls inside it; the gate view's legend and panel are measured.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, measureElement, type DOMElement } from 'ink';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useColor } from './color-context.ts';
import { layerCount } from './gate-stats.ts';
import { GateArea } from './gate-view.tsx';
import { headerRows } from './header.tsx';
import { helpHeight, HelpOverlay } from './help-overlay.tsx';
import { keyHintRows } from './key-hints.tsx';
import { PromptInput, promptInputRows } from './prompt-input.tsx';
import { frameBudget, promptRowLimit, READING_WIDTH, readingWidth, scrollWindow } from './screen-layout.ts';
import { SpanRows } from './span-rows.tsx';
import { statusRows } from './status-line.tsx';
import { gateTokens } from './story-run.ts';
import { selectedToken, type StoryState } from './story-state.ts';
import { StoryView } from './story-view.tsx';
import { layoutTokens, rowOfToken, visibleRows, type Piece, type Row } from './token-layout.ts';

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

export function StoryScreen({ state, columns, rows, modelsDir, onLayout }: ScreenProps) {
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
