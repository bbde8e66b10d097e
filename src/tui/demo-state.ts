// State of the demo screen as a pure reducer: a menu of the teaching demos, one demo running (in a child
// process started by demo-screen.tsx), then its report or its error. Runs carry an id so that the answer
// of a cancelled run, arriving late, is ignored.
import { DEMO_NAMES, type DemoName } from '../demos/demo-runner.ts';

export type DemoPhase = 'menu' | 'running' | 'result' | 'error';

export interface DemoScreenState {
  /** Index of the highlighted demo in DEMO_NAMES. */
  selected: number;
  phase: DemoPhase;
  /** Id of the latest run; 0 before the first. */
  runId: number;
  /** The demo running or shown. */
  demo?: DemoName;
  /** Latest progress note of the running demo. */
  progress?: string;
  /** The report as plain text (src/demos/format.ts); fitted to the width when drawn. */
  text?: string;
  seconds?: number;
  error?: string;
  /** A note on the menu, e.g. that a run was cancelled. */
  notice?: string;
  /** First report line shown. */
  scroll: number;
}

export type DemoAction =
  | { type: 'move'; delta: number }
  | { type: 'run'; demo?: DemoName }
  | { type: 'progress'; runId: number; line: string }
  | { type: 'done'; runId: number; text: string; seconds: number }
  | { type: 'failed'; runId: number; message: string }
  | { type: 'cancel' }
  | { type: 'back' }
  | { type: 'scroll'; delta: number; max: number };

export function initialDemoState(): DemoScreenState {
  return { selected: 0, phase: 'menu', runId: 0, scroll: 0 };
}

export function demoReducer(s: DemoScreenState, a: DemoAction): DemoScreenState {
  switch (a.type) {
    case 'move': {
      if (s.phase !== 'menu') return s;
      const n = DEMO_NAMES.length;
      return { ...s, selected: (((s.selected + a.delta) % n) + n) % n };
    }
    case 'run': {
      if (s.phase === 'running') return s;
      const demo = a.demo ?? DEMO_NAMES[s.selected]!;
      return {
        ...s,
        selected: DEMO_NAMES.indexOf(demo),
        phase: 'running',
        runId: s.runId + 1,
        demo,
        progress: undefined,
        text: undefined,
        error: undefined,
        notice: undefined,
        scroll: 0,
      };
    }
    case 'progress':
      return a.runId === s.runId && s.phase === 'running' ? { ...s, progress: a.line } : s;
    case 'done':
      return a.runId === s.runId && s.phase === 'running' ? { ...s, phase: 'result', text: a.text, seconds: a.seconds, scroll: 0 } : s;
    case 'failed':
      return a.runId === s.runId && s.phase === 'running' ? { ...s, phase: 'error', error: a.message } : s;
    case 'cancel':
      return s.phase === 'running' ? { ...s, phase: 'menu', notice: `${s.demo} cancelled` } : s;
    case 'back':
      return s.phase === 'result' || s.phase === 'error' ? { ...s, phase: 'menu', notice: undefined } : s;
    case 'scroll':
      return s.phase === 'result' ? { ...s, scroll: Math.max(0, Math.min(a.max, s.scroll + a.delta)) } : s;
  }
}
