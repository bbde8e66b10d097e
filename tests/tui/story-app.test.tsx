import { vi, afterEach, describe, expect, test } from 'vitest';
// Colour support is decided when chalk loads, so force it before Ink is imported.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { ColorContext } from '../../src/tui/color-context.ts';
import { StoryApp } from '../../src/tui/story-app.tsx';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';
import { plain, resize, tick, UnmountProbe, waitFor } from './helpers.tsx';

const ENTER = '\r';
const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const BG = /\x1b\[(4[0-7]|10[0-7]|48;[25];)/;

const dirs: string[] = [];
afterEach(() => {
  cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(opts: { engine?: FakeStoryEngine; model?: string; length?: number; prime?: string; color?: boolean } = {}) {
  const engine = opts.engine ?? new FakeStoryEngine();
  const outDir = mkdtempSync(join(tmpdir(), 'tui-story-'));
  dirs.push(outDir);
  let exited = false;
  const app = render(
    <ColorContext.Provider value={opts.color ?? true}>
      <StoryApp
        engine={engine}
        init={{ model: opts.model ?? FAKE_MODEL.name, length: opts.length ?? 60, prime: opts.prime }}
        modelsDir="models"
        outDir={outDir}
        randomSeed={() => 'seed-from-n'}
      />
      <UnmountProbe onUnmount={() => (exited = true)} />
    </ColorContext.Provider>,
  );
  const frame = () => plain(app.lastFrame());
  const until = (check: (f: string) => boolean, what: string) => waitFor(() => check(frame()), what, frame);
  const type = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  return { app, engine, outDir, frame, until, type, exited: () => exited };
}

async function storyReady(t: ReturnType<typeof setup>, prompt = 'Doug') {
  await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
  await t.type(prompt);
  await t.type(ENTER);
  await t.until((f) => f.includes('done:'), 'the story to finish');
}

describe('story screen', () => {
  test('the header names the model, its level, parameter count and validation figure', async () => {
    const t = setup();
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    expect(t.frame()).toMatch(/fake-char · char-level LSTM 2×8 · 1\.2k params · val 1\.50 bpc/);
  });

  test('typing a prompt and pressing Enter streams the story after the prompt', async () => {
    const t = setup({ engine: new FakeStoryEngine(undefined, 15), length: 30 });
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('Jane says');
    expect(t.frame()).toContain('prompt › Jane says');
    await t.type(ENTER);
    await t.until((f) => /generating [1-9]\d*\/30/.test(f), 'a partly streamed story');
    await t.until((f) => f.includes('done: 30 tokens'), 'the story to finish');
    const story = t.engine.calls[0];
    expect(story.options.prime).toBe('Jane says');
    expect(story.options.trace).toBe(true);
    expect(t.frame()).toContain('Jane says. See Spot run');
  });

  test('the seed of the story is shown', async () => {
    const t = setup();
    await storyReady(t);
    expect(t.frame()).toContain('seed fake-seed');
  });

  test('n draws a new seed and the next story uses it', async () => {
    const t = setup();
    await storyReady(t);
    await t.type('n');
    expect(t.frame()).toContain('seed seed-from-n (fixed)');
    await t.type('r');
    await t.until(() => t.engine.calls.length === 2, 'a second story');
    expect(t.engine.calls[1].options.seed).toBe('seed-from-n');
  });

  test('without a seed drawer given, n draws a seed like the generator\'s own (base 36), not a 9-digit number', async () => {
    const engine = new FakeStoryEngine();
    const app = render(<StoryApp engine={engine} init={{ model: FAKE_MODEL.name, length: 10 }} modelsDir="models" outDir={tmpdir()} />);
    const frame = () => plain(app.lastFrame());
    await waitFor(() => frame().includes('loaded fake-char'), 'the model to load', frame);
    app.stdin.write('\x1b');
    await tick();
    app.stdin.write('n');
    await waitFor(() => frame().includes('(fixed)'), 'the new seed', frame);
    expect(frame()).toMatch(/seed [0-9a-z]{1,6} \(fixed\)/);
  });

  test('g shows the gate legend and colours the generated tokens', async () => {
    const t = setup();
    await storyReady(t);
    expect(t.frame()).not.toContain('forgetting');
    await t.type('g');
    await t.until((f) => f.includes('colour: mean forget gate') && f.includes('forgetting → remembering') && f.includes('(0 forgetting, 1 remembering)'), 'the legend');
    const storyLine = t.app.lastFrame()!.split('\n').find((l) => plain(l).includes('See Spot'))!;
    expect(storyLine).toMatch(BG);
  });

  test('without colour the gate view draws shade characters under the story', async () => {
    const t = setup({ color: false });
    await storyReady(t);
    await t.type('g');
    await t.until((f) => f.includes('forgetting'), 'the legend');
    const lines = t.frame().split('\n');
    const i = lines.findIndex((l) => l.includes('See Spot'));
    expect(lines[i + 1]).toMatch(/^[ ░▒▓█^]+$/);
    expect(t.app.lastFrame()).not.toMatch(BG);
  });

  test('left and right arrows move the cursor and the panel follows it', async () => {
    const t = setup({ length: 20 });
    await storyReady(t);
    await t.type('g');
    await t.until((f) => f.includes('token 20/20'), 'the panel on the last token');
    const before = t.frame().split('\n').find((l) => l.startsWith('token'));
    await t.type(LEFT);
    await t.type(LEFT);
    await t.until((f) => f.includes('token 18/20'), 'the cursor two tokens back');
    expect(t.frame().split('\n').find((l) => l.startsWith('token'))).not.toBe(before);
    await t.type(RIGHT);
    await t.until((f) => f.includes('token 19/20'), 'the cursor one token forward');
  });

  test('the panel shows a heat strip of every unit and the top candidates', async () => {
    const t = setup({ length: 20, color: false });
    await storyReady(t);
    await t.type('g');
    await t.until((f) => f.includes('8 units'), 'the panel');
    const lines = t.frame().split('\n');
    const header = lines.findIndex((l) => l.startsWith('token'));
    // A ruler of unit offsets, then the strip behind the number of its first unit.
    expect(lines[header + 1]).toMatch(/^ {5}0$/);
    expect(lines[header + 2]).toMatch(/^ {3}0 [ ░▒▓█]{8}$/);
    expect(t.frame()).toMatch(/top: \S+ 0\.50 {2}x 0\.20/);
  });

  test('l and k switch the layer and the kind shown', async () => {
    const t = setup({ length: 10 });
    await storyReady(t);
    await t.type('g');
    await t.until((f) => f.includes('mean forget gate · layer 1/2'), 'layer 1 forget');
    await t.type('l');
    await t.until((f) => f.includes('mean forget gate · layer 2/2'), 'layer 2');
    await t.type('k');
    await t.until((f) => f.includes('mean input gate · layer 2/2') && f.includes('writing input'), 'the input gate');
  });

  test('? shows the help and any key closes it', async () => {
    const t = setup();
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('\x1b');
    await t.type('?');
    await t.until((f) => f.includes('Keys (q quits, any other key closes this help)'), 'the help');
    await t.type('x');
    await t.until((f) => !f.includes('Keys (q quits'), 'the help to close');
  });

  test('q quits', async () => {
    const t = setup();
    await storyReady(t);
    await t.type('q');
    await waitFor(t.exited, 'the app to unmount');
  });

  test('q during a long story quits at once and stops the generation', async () => {
    const engine = new FakeStoryEngine(undefined, 20);
    const t = setup({ engine, length: 10_000 });
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('Spot');
    await t.type(ENTER);
    await t.until((f) => /generating [1-9]/.test(f), 'the story to start');
    await t.type('q');
    await waitFor(t.exited, 'the app to unmount');
  });

  test('r during a long story starts a new one', async () => {
    const t = setup({ engine: new FakeStoryEngine(undefined, 20), length: 10_000 });
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('Spot');
    await t.type(ENTER);
    await t.until((f) => /generating [1-9]/.test(f), 'the story to start');
    await t.type('r');
    await t.until(() => t.engine.calls.length === 2, 'a second generation');
    await t.until((f) => /generating [1-9]\d*\/10000/.test(f), 'the second story to stream');
  });

  test('Ctrl-C quits even while typing a prompt', async () => {
    const t = setup();
    await t.until((f) => f.includes('prompt ›'), 'the prompt');
    await t.type('\x03');
    await waitFor(t.exited, 'the app to unmount');
  });

  test('q typed into the prompt is text, not quit', async () => {
    const t = setup();
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('quiet');
    expect(t.frame()).toContain('prompt › quiet');
    expect(t.exited()).toBe(false);
  });

  test('an engine error shows as a message line and the app keeps running', async () => {
    const t = setup();
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('\x1b');
    await t.type('uu');
    expect(t.frame()).toContain('unknown error');
    await t.type('p');
    await t.type('Café');
    await t.type(ENTER);
    await t.until((f) => f.includes('unknown characters in the prompt: é'), 'the error message');
    await t.type('?');
    await t.until((f) => f.includes('Keys (q quits'), 'the app to still respond');
  });

  test('a checkpoint that fails to load shows a message, not a crash', async () => {
    const t = setup({ model: 'missing-model' });
    await t.until((f) => f.includes('missing-model: no such model'), 'the load error');
    expect(t.exited()).toBe(false);
  });

  test('m switches to the next model and tells the story again', async () => {
    const word = { ...FAKE_MODEL, name: 'fake-word', level: 'word' as const, valBpc: undefined, valPerplexity: 42.5 };
    const t = setup({ engine: new FakeStoryEngine([FAKE_MODEL, word]) });
    await storyReady(t);
    await t.type('m');
    await t.until((f) => f.includes('fake-word · word-level') && f.includes('val ppl 42.5'), 'the word model');
    await t.until(() => t.engine.calls.some((c) => c.model === 'fake-word'), 'a story from the word model');
  });

  test('o opens a path input and loads the checkpoint typed there', async () => {
    const other = { ...FAKE_MODEL, name: 'other', path: '/tmp/other.safetensors' };
    const t = setup({ engine: new FakeStoryEngine([FAKE_MODEL, other]) });
    await t.until((f) => f.includes('loaded fake-char'), 'the model to load');
    await t.type('\x1b');
    await t.type('o');
    await t.until((f) => f.includes('model (a name in models or a path) ›'), 'the path input');
    await t.type('/tmp/other.safetensors');
    await t.type(ENTER);
    await t.until((f) => f.includes('loaded other'), 'the other model');
  });

  test('w saves the story as text with its gates as JSON beside it and says where', async () => {
    const t = setup({ length: 12 });
    await storyReady(t);
    await t.type('w');
    await t.until((f) => f.includes('saved the story to'), 'the save message');
    const m = /saved the story to (\S+\.txt) and its gates to (\S+\.gates\.json)/.exec(t.frame().replace(/\n/g, ''));
    expect(m).not.toBeNull();
    const text = readFileSync(m![1], 'utf8');
    const gates = JSON.parse(readFileSync(m![2], 'utf8'));
    expect(text.startsWith('Doug')).toBe(true);
    expect(gates.tokens).toHaveLength(12);
    expect(gates.tokens[0].gates[0].forget).toHaveLength(8);
  });

  test('a failed save shows a message', async () => {
    const t = setup({ length: 5 });
    await storyReady(t);
    // A file where the folder should be makes mkdir fail.
    rmSync(t.outDir, { recursive: true });
    (await import('node:fs')).writeFileSync(t.outDir, 'not a folder');
    await t.type('w');
    await t.until((f) => f.includes('could not save'), 'the error message');
  });

  test('e exports the gate heatmap as SVG and PNG and says where', async () => {
    const t = setup({ length: 12 });
    await storyReady(t);
    await t.type('g');
    await t.type('e');
    await t.until((f) => f.includes('heatmap to') || f.includes('could not export'), 'the export message', );
    const m = /saved the forget heatmap to (\S+\.svg) and (\S+\.png)/.exec(t.frame().replace(/\n/g, ''));
    expect(m, t.frame()).not.toBeNull();
    expect(existsSync(m![1]) && existsSync(m![2])).toBe(true);
  });

  test('a 60-column terminal gets no line longer than 60 in any view', async () => {
    const t = setup({ length: 200 });
    resize(t.app.stdout, 60);
    await storyReady(t, 'Doug and Jane and Spot went up the hill to fetch a pail of water');
    const widest = () => Math.max(...t.frame().split('\n').map((l) => [...l].length));
    expect(widest()).toBeLessThanOrEqual(60);
    await t.type('g');
    await t.until((f) => f.includes('forgetting'), 'the gate view');
    expect(widest()).toBeLessThanOrEqual(60);
    await t.type('?');
    await t.until((f) => f.includes('Keys'), 'the help');
    expect(widest()).toBeLessThanOrEqual(60);
  });

  test('a long story on a 24-row terminal keeps the live block shorter than the terminal', async () => {
    for (const color of [true, false]) {
      const t = setup({ length: 3000, color });
      resize(t.app.stdout, 60, 24);
      await storyReady(t);
      expect(t.frame().split('\n').length, t.frame()).toBeLessThan(24);
      await t.type('g');
      await t.until((f) => f.includes('forgetting'), 'the gate view');
      expect(t.frame().split('\n').length, t.frame()).toBeLessThan(24);
      t.app.unmount();
    }
  });

  test('moving the cursor far back scrolls the story to show the selected token', async () => {
    const t = setup({ length: 3000, color: false });
    resize(t.app.stdout, 60, 24);
    await storyReady(t);
    await t.type('g');
    await t.until((f) => f.includes('token 3000/3000'), 'the panel');
    await t.type('\x1b[H');
    await t.until((f) => f.includes('token 1/3000'), 'the first token');
    expect(t.frame()).not.toContain('earlier line');
    expect(t.frame()).toContain('Doug');
  });
});

describe('story screen within the window', () => {
  const lines = (t: ReturnType<typeof setup>) => t.frame().split('\n').length;

  test('at 80×24 no frame is taller than 23 lines: long story, help, 2,000-character prompt, long message, gate view', async () => {
    const t = setup({ length: 3000 });
    resize(t.app.stdout, 80, 24);
    await storyReady(t);
    expect(lines(t), t.frame()).toBe(23);
    await t.type('?');
    await t.until((f) => f.includes('Keys (q quits'), 'the help');
    expect(lines(t), t.frame()).toBe(23);
    await t.type('\x1b[6~');
    await t.until((f) => /lines (?!1-)\d+-/.test(f), "the help to scroll");
    expect(lines(t), t.frame()).toBe(23);
    await t.type('x');
    // Pasted, so the status line also carries a message that wraps onto a second row.
    await t.type(`\x1b[200~${'the fox ran to the woods and '.repeat(70)}\x1b[201~`);
    await t.until((f) => f.includes('pasted 2030 characters'), 'the long prompt');
    expect(t.frame()).toMatch(/^…to the woods/m);
    expect(lines(t), t.frame()).toBe(23);
    await t.type('\x1b');
    await t.type('g');
    await t.until((f) => f.includes('token '), 'the gate view');
    expect(lines(t), t.frame()).toBe(23);
    const widest = Math.max(...t.frame().split('\n').map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(80);
  });

  test('PgUp scrolls the story back, End follows its end again', async () => {
    const t = setup({ length: 3000 });
    resize(t.app.stdout, 80, 24);
    await storyReady(t);
    expect(t.frame()).toMatch(/… \d+ earlier lines/);
    expect(t.frame()).not.toContain('later line');
    await t.type("\x1b[5~");
    await t.until((f) => f.includes('later lines'), 'the story scrolled back a page');
    await t.type('\x1b[H');
    await t.until((f) => f.includes('prompt (p to edit) Doug') && f.split('\n')[3].startsWith('…') && f.includes('Doug. See'), 'the top of the story');
    await t.type('\x1b[F');
    await t.until((f) => !f.includes('later line'), 'the end of the story');
  });

  test('a pasted sentence opens the prompt with it and changes no setting', async () => {
    const t = setup();
    await storyReady(t);
    const header = () => t.frame().split('\n').slice(0, 2).join('\n');
    const before = header();
    const calls = t.engine.calls.length;
    await t.type('\x1b[200~The cat sat on the mat\x1b[201~');
    await t.until((f) => f.includes('prompt › The cat sat on the mat'), 'the pasted prompt');
    expect(header()).toBe(before);
    expect(t.engine.calls.length).toBe(calls);
    expect(readdirSync(t.outDir)).toEqual([]);
    // Without bracketed paste the burst of text is a paste as well.
    await t.type('\x1b');
    await t.type('The cat sat on the mat');
    expect(header()).toBe(before);
    expect(t.frame()).toContain('prompt › The cat sat on the mat');
  });

  test('finished stories in the scrollback are wrapped at the reading width, no line starting with a space', async () => {
    const t = setup({ length: 400 });
    resize(t.app.stdout, 160, 40);
    await storyReady(t);
    await t.type('r');
    await t.until(() => t.engine.calls.length === 2, 'a second story');
    await t.until((f) => f.includes('── fake-char'), 'the first story in the scrollback');
    const story = t.frame().split('── fake-char')[1].split('\n\n')[0].split('\n').slice(1);
    expect(story.length).toBeGreaterThan(1);
    for (const l of story) {
      expect(l.startsWith(' '), l).toBe(false);
      expect([...l].length).toBeLessThanOrEqual(100);
    }
  });
});
