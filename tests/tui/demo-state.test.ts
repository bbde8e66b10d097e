// The demo screen's reducer and key map, without Ink.
import { describe, expect, test } from 'vitest';
import { DEMO_NAMES } from '../../src/demos/demo-runner.ts';
import { demoKeyIntents } from '../../src/tui/demo-keys.ts';
import { demoReducer, initialDemoState, type DemoAction, type DemoScreenState } from '../../src/tui/demo-state.ts';

const reduce = (...actions: DemoAction[]) => actions.reduce(demoReducer, initialDemoState());
const view = { page: 10, maxScroll: 30 };
const keys = (s: DemoScreenState, input: string, key = {}) => demoKeyIntents(s, input, key, view);

describe('demo screen state', () => {
  test('the menu starts on the first demo and the arrows move round it', () => {
    expect(initialDemoState()).toMatchObject({ phase: 'menu', selected: 0 });
    expect(reduce({ type: 'move', delta: 1 }).selected).toBe(1);
    expect(reduce({ type: 'move', delta: -1 }).selected).toBe(DEMO_NAMES.length - 1);
  });

  test('running the highlighted demo starts a new run of it', () => {
    const s = reduce({ type: 'move', delta: 2 }, { type: 'run' });
    expect(s).toMatchObject({ phase: 'running', demo: DEMO_NAMES[2], runId: 1 });
  });

  test('a finished run shows its report from the top', () => {
    const s = reduce({ type: 'run', demo: 'prices' }, { type: 'done', runId: 1, text: 'table', seconds: 0.5 });
    expect(s).toMatchObject({ phase: 'result', text: 'table', seconds: 0.5, scroll: 0 });
  });

  test('a failed run shows its message', () => {
    const s = reduce({ type: 'run', demo: 'long-dependency' }, { type: 'failed', runId: 1, message: 'not trained yet' });
    expect(s).toMatchObject({ phase: 'error', error: 'not trained yet', demo: 'long-dependency' });
  });

  test('cancelling returns to the menu and the cancelled run\'s late answer is ignored', () => {
    const s = reduce({ type: 'run', demo: 'doug-jane-spot' }, { type: 'cancel' }, { type: 'done', runId: 1, text: 'late', seconds: 9 });
    expect(s.phase).toBe('menu');
    expect(s.text).toBeUndefined();
    expect(s.notice).toBe('doug-jane-spot cancelled');
  });

  test('progress notes of the running demo are kept, those of an older run are not', () => {
    const s = reduce({ type: 'run', demo: 'prices' }, { type: 'progress', runId: 1, line: 'training' }, { type: 'progress', runId: 0, line: 'old' });
    expect(s.progress).toBe('training');
  });

  test('scrolling stays between the top and the last page', () => {
    const s = reduce({ type: 'run' }, { type: 'done', runId: 1, text: 't', seconds: 1 });
    expect(demoReducer(s, { type: 'scroll', delta: -5, max: 8 }).scroll).toBe(0);
    expect(demoReducer(s, { type: 'scroll', delta: 50, max: 8 }).scroll).toBe(8);
  });

  test('a new run cannot start while one is running', () => {
    const s = reduce({ type: 'run', demo: 'prices' });
    expect(demoReducer(s, { type: 'run', demo: 'gradients' })).toBe(s);
  });
});

describe('demo screen keys', () => {
  const menu = initialDemoState();
  const running = reduce({ type: 'run', demo: 'gradients' });
  const result = reduce({ type: 'run', demo: 'gradients' }, { type: 'done', runId: 1, text: 't', seconds: 1 });

  test('in the menu, Enter runs the highlighted demo and a digit runs that demo', () => {
    expect(keys(menu, '\r', { return: true })).toEqual([{ type: 'run' }]);
    expect(keys(menu, '3')).toEqual([{ type: 'run', demo: DEMO_NAMES[2] }]);
    expect(keys(menu, '9')).toEqual([]);
  });

  test('in the menu, Esc goes back to the story screen', () => {
    expect(keys(menu, '', { escape: true })).toEqual([{ type: 'close' }]);
  });

  test('while running, Esc cancels and other keys do nothing but quit', () => {
    expect(keys(running, '', { escape: true })).toEqual([{ type: 'cancel' }]);
    expect(keys(running, 'r')).toEqual([]);
    expect(keys(running, 'q')).toEqual([{ type: 'quit' }]);
  });

  test('on a report, Esc goes back to the menu, r runs the demo again and the arrows scroll', () => {
    expect(keys(result, '', { escape: true })).toEqual([{ type: 'back' }]);
    expect(keys(result, 'r')).toEqual([{ type: 'run', demo: 'gradients' }]);
    expect(keys(result, '', { downArrow: true })).toEqual([{ type: 'scroll', delta: 1, max: 30 }]);
    expect(keys(result, '', { pageDown: true })).toEqual([{ type: 'scroll', delta: 9, max: 30 }]);
  });

  test('Ctrl-C quits in every phase', () => {
    for (const s of [menu, running, result]) expect(keys(s, 'c', { ctrl: true })).toEqual([{ type: 'quit' }]);
  });
});
