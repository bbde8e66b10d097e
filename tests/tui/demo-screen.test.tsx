import { vi, afterEach, describe, expect, test } from 'vitest';
// Colour support is decided when chalk loads, so force it before Ink is imported.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { formatPrices } from '../../src/demos/format.ts';
import type { BucketResult } from '../../src/demos/long-dependency.ts';
import type { MemoryCellReport } from '../../src/demos/memory-cells.ts';
import { pricesDemo } from '../../src/demos/prices.ts';
import { ColorContext } from '../../src/tui/color-context.ts';
import { DEMO_NAMES, runDemoProcess, type DemoData, type DemoName, type DemoRunner, type DemoRunOptions } from '../../src/demos/demo-runner.ts';
import { StoryApp } from '../../src/tui/story-app.tsx';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';
import { plain, resize, tick, UnmountProbe, waitFor } from './helpers.tsx';

const ESC = '\x1b';
const ENTER = '\r';
const DOWN = '\x1b[B';

/** A demo runner the test answers by hand; each call waits until the test resolves or rejects it. */
class FakeDemos {
  calls: Array<{ name: DemoName; options: DemoRunOptions; resolve(d: DemoData): void; reject(e: unknown): void }> = [];
  run: DemoRunner = (name, options = {}) =>
    new Promise<DemoData>((resolve, reject) => {
      this.calls.push({ name, options, resolve, reject });
    });
  get last() {
    return this.calls.at(-1)!;
  }
}

const dirs: string[] = [];
afterEach(() => {
  cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(runDemo: DemoRunner, modelsDir = '/nowhere/models') {
  const engine = new FakeStoryEngine();
  const outDir = mkdtempSync(join(tmpdir(), 'tui-demo-'));
  dirs.push(outDir);
  let exited = false;
  const app = render(
    <ColorContext.Provider value={true}>
      <StoryApp engine={engine} init={{ model: FAKE_MODEL.name, length: 30 }} modelsDir={modelsDir} outDir={outDir} runDemo={runDemo} />
      <UnmountProbe onUnmount={() => (exited = true)} />
    </ColorContext.Provider>,
  );
  const frame = () => plain(app.lastFrame());
  const until = (check: (f: string) => boolean, what: string) => waitFor(() => check(frame()), what, frame);
  const type = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  return { app, engine, frame, until, type, exited: () => exited };
}

/** Loads the model, leaves the prompt for command mode and opens the demo screen with D. */
async function openDemos(t: ReturnType<typeof setup>) {
  await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
  await t.type(ESC);
  await t.type('D');
  await t.until((f) => f.includes('Teaching demos'), 'the demo menu');
}

function longDependencyData(): DemoData {
  const results: BucketResult[] = [];
  for (const cell of ['lstm', 'gru', 'rnn'])
    for (const [gapMin, gapMax] of [[10, 49], [50, 99], [100, 199], [200, 299], [300, 360]])
      results.push({ cell, gapMin, gapMax, n: 40, accuracy: cell === 'lstm' ? 0.975 : 0.05, meanProb: 0.5, languages: 24 });
  const memoryCells: MemoryCellReport = {
    episodes: 150,
    units: [
      { unit: 17, eta2: 0.91, eta2MidGap: 0.95, meanForget: 0.993 },
      { unit: 3, eta2: 0.42, eta2MidGap: 0.8, meanForget: 0.951 },
    ],
    meanForgetAll: 0.71,
    probeAccuracy: 0.96, topUnit: 17, topUnitAccuracy: 0.9,
    chance: 1 / 24,
  };
  return { name: 'long-dependency', results, memoryCells, notes: [] };
}

describe('demo screen', () => {
  test('the story screen names D in its key hints and in the help', async () => {
    const t = setup(new FakeDemos().run);
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type(ESC);
    expect(t.frame()).toContain('D demos');
    await t.type('?');
    await t.until((f) => f.includes('Keys'), 'the help');
    expect(t.frame()).toMatch(/D\s+teaching demos/);
  });

  test('D opens a menu of the four demos', async () => {
    const t = setup(new FakeDemos().run);
    await openDemos(t);
    for (const name of DEMO_NAMES) expect(t.frame()).toContain(name);
    expect(t.frame()).toContain(`› 1 ${DEMO_NAMES[0]}`);
  });

  test('choosing a demo runs it with the models folder and shows a spinner until it answers', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run, '/srv/models');
    await openDemos(t);
    await t.type(DOWN);
    await t.type(ENTER);
    await t.until((f) => f.includes(`running ${DEMO_NAMES[1]}`), 'the running state');
    expect(demos.calls.map((c) => c.name)).toEqual([DEMO_NAMES[1]]);
    expect(demos.last.options.modelsDir).toBe('/srv/models');
    expect(t.frame()).toContain('Esc cancel');
  });

  test('the answer is shown as the formatted table', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    await openDemos(t);
    await t.type('3');
    await t.until(() => demos.calls.length === 1, 'the prices demo to start');
    const prices = pricesDemo({ steps: 20 });
    demos.last.resolve({ name: 'prices', prices, notes: [] });
    await t.until((f) => f.includes('prediction for day 5'), 'the report');
    for (const line of formatPrices(prices).split('\n').filter(Boolean)) expect(t.frame()).toContain(line);
  });

  test('on a 60-column terminal the long-dependency table is folded to fit, with the memory cells below', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    resize(t.app.stdout, 60);
    await openDemos(t);
    await t.type('1');
    await t.until(() => demos.calls.length === 1, 'the demo to start');
    demos.last.resolve(longDependencyData());
    await t.until((f) => f.includes('memory cells'), 'the report');
    expect(Math.max(...t.frame().split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(60);
    expect(t.frame()).toMatch(/gap \(chars\)\s+n\s+lstm acc/);
    expect(t.frame()).toMatch(/rnn acc/);
    expect(t.frame()).toMatch(/^17\s+0\.91\s+0\.95\s+0\.993$/m);
    expect(t.frame()).toContain('mean forget');
    expect(t.frame(), 'a blank line between the two tables').toMatch(/\n *\nmemory cells/);
  });

  test('a long report on a short terminal scrolls instead of overflowing', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    resize(t.app.stdout, 60, 16);
    await openDemos(t);
    await t.type('1');
    await t.until(() => demos.calls.length === 1, 'the demo to start');
    demos.last.resolve(longDependencyData());
    await t.until((f) => /lines 1-\d+ of \d+/.test(f), 'the first page');
    expect(t.frame().split('\n').length).toBeLessThan(16);
    // The report's key handler is attached after its first frame is drawn; a key sent in between is lost
    // (as in a real terminal), so press PgDn until the page moves.
    await waitFor(() => !/lines 1-/.test(t.frame()), 'the next page', t.frame, 20_000, () => t.type('\x1b[6~'));
    expect(t.frame().split('\n').length).toBeLessThan(16);
  });

  test('Esc while a demo runs cancels it and returns to the menu', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    await openDemos(t);
    await t.type('4');
    await t.until((f) => f.includes('running doug-jane-spot'), 'the running state');
    await t.type(ESC);
    await t.until((f) => f.includes('doug-jane-spot cancelled'), 'the menu again');
    expect(demos.last.options.signal?.aborted).toBe(true);
  });

  test('without the long-dependency models the screen says how to train them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-models-'));
    dirs.push(empty);
    const t = setup(runDemoProcess, empty);
    await openDemos(t);
    await t.type('1');
    await t.until((f) => f.includes('not trained yet'), 'the error');
    expect(t.frame()).toContain('storyteller demo long-dependency --train');
    expect(t.frame()).toContain('r try again');
  });

  test('Esc on a report goes back to the menu, and Esc on the menu back to the story screen', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    await openDemos(t);
    await t.type('3');
    await t.until(() => demos.calls.length === 1, 'the demo to start');
    demos.last.resolve({ name: 'prices', prices: pricesDemo({ steps: 5 }), notes: [] });
    await t.until((f) => f.includes('prediction for day 5'), 'the report');
    await t.type(ESC);
    await t.until((f) => f.includes('Enter or 1-4 run'), 'the menu');
    await t.type(ESC);
    await t.until((f) => f.includes('prompt') && !f.includes('Teaching demos'), 'the story screen');
    await t.type('?');
    await t.until((f) => f.includes('Keys (q quits'), 'the story keys to work again');
  });

  test('keys on the demo screen do not reach the story behind it', async () => {
    const demos = new FakeDemos();
    const t = setup(demos.run);
    await openDemos(t);
    await t.type('r');
    await t.type('c');
    await tick(50);
    expect(t.engine.calls).toEqual([]);
    expect(t.frame()).toContain('Teaching demos');
  });

  test('q on the demo screen quits the program', async () => {
    const t = setup(new FakeDemos().run);
    await openDemos(t);
    await t.type('q');
    await waitFor(() => t.exited(), 'the app to exit');
  });
});
