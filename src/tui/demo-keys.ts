// Maps a key press to what it means on the demo screen. Pure, like story-keys.ts.
import type { Key } from 'ink';
import { DEMO_NAMES } from '../demos/demo-runner.ts';
import type { DemoAction, DemoScreenState } from './demo-state.ts';

export type DemoIntent = DemoAction | { type: 'close' } | { type: 'quit' };

/** How many report lines fit on the screen and how far the report can scroll. */
export interface DemoView {
  page: number;
  maxScroll: number;
}

export function demoKeyIntents(s: DemoScreenState, input: string, key: Partial<Key>, view: DemoView): DemoIntent[] {
  if (key.ctrl && input === 'c') return [{ type: 'quit' }];
  switch (s.phase) {
    case 'running':
      // Nothing else makes sense while the child works; quitting stops it too.
      if (key.escape) return [{ type: 'cancel' }];
      return input === 'q' ? [{ type: 'quit' }] : [];
    case 'menu': {
      if (key.escape) return [{ type: 'close' }];
      if (key.upArrow || input === 'k') return [{ type: 'move', delta: -1 }];
      if (key.downArrow || input === 'j') return [{ type: 'move', delta: 1 }];
      if (key.return) return [{ type: 'run' }];
      const n = Number(input);
      if (Number.isInteger(n) && n >= 1 && n <= DEMO_NAMES.length) return [{ type: 'run', demo: DEMO_NAMES[n - 1] }];
      if (input === 'q') return [{ type: 'quit' }];
      return [];
    }
    case 'result':
    case 'error': {
      if (key.escape) return [{ type: 'back' }];
      if (input === 'r') return [{ type: 'run', demo: s.demo }];
      if (input === 'q') return [{ type: 'quit' }];
      const scroll = (delta: number): DemoIntent[] => [{ type: 'scroll', delta, max: view.maxScroll }];
      if (key.upArrow || input === 'k') return scroll(-1);
      if (key.downArrow || input === 'j') return scroll(1);
      if (key.pageUp) return scroll(-Math.max(1, view.page - 1));
      if (key.pageDown || input === ' ') return scroll(Math.max(1, view.page - 1));
      if (key.home) return scroll(-view.maxScroll);
      if (key.end) return scroll(view.maxScroll);
      return [];
    }
  }
}
