// End to end: the real program in a real terminal (tmux), driven by keys, read back from the screen.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { describeWithTool, tmuxMissing } from '../support/tools.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MODEL = process.env.TUI_E2E_MODEL ?? 'models/doug-jane-spot.safetensors';
const SOCKET = `tui-e2e-${process.pid}-${Date.now()}`;
const SESSION = 'story';

// What is missing, if anything: tmux (.ci/run installs it) or the model (shipped in models/).
const missing = tmuxMissing() || (!existsSync(join(ROOT, MODEL)) ? `${MODEL} does not exist` : '');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** The visible screen; with escapes=true the colour escape sequences are kept. */
function screen(escapes = false, session = SESSION): string {
  return tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);
}

/** The scrollback and the screen together, as the user scrolls through them. */
function everything(session: string): string {
  return tmux('capture-pane', '-p', '-S', '-', '-E', '-', '-t', session);
}

async function waitForScreen(check: (s: string) => boolean, what: string, timeoutMs = 30_000, session = SESSION): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen(false, session);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

const count = (text: string, part: string) => text.split(part).length - 1;
const MARKER = 'MARKER-PRINTED-BEFORE-START';
// Short stories keep the test quick; six continuations still make a story several screens long.
const LENGTH = 150;

/** Starts the story screen in a session of its own, after the shell prints MARKER. */
async function startScreen(session: string, columns: number, rows: number): Promise<void> {
  const command = `cd ${JSON.stringify(ROOT)} && echo ${MARKER} && env -u CI -u NO_COLOR TERM=xterm-256color node dist/bin/storyteller.js tui --model ${MODEL} --length ${LENGTH}; echo "exit status $?"; sleep 600`;
  try {
    tmux('kill-session', '-t', session); // left by a failed try when vitest retries
  } catch {
    // None yet.
  }
  tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command);
  await waitForScreen((s) => /done: \d+ tokens/.test(s), 'the first story', 30_000, session);
}

/** The header is the top of the screen, once; the marker is still in the scrollback, once. */
function expectHeaderAndMarker(session: string): void {
  const shown = screen(false, session);
  expect(shown.split('\n')[0], shown).toMatch(/^doug-jane-spot · /);
  expect(count(shown, 'doug-jane-spot · '), shown).toBe(1);
  expect(count(shown, 'T 0.7 · top-k'), shown).toBe(1);
  expect(count(everything(session), MARKER)).toBe(1);
}

function settingsLine(session: string): string {
  return screen(false, session).split('\n')[1];
}

/** Presses c and waits for that continuation to finish (each story draws a new seed, shown in the header). */
async function continueStory(session: string): Promise<void> {
  const before = settingsLine(session);
  tmux('send-keys', '-t', session, '-l', 'c');
  await waitForScreen((s) => s.split('\n')[1] !== before && /done: \d+ tokens/.test(s), 'the continuation', 15_000, session);
}

afterAll(() => {
  if (!missing) {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    // tmux may leave the socket file behind; it lives where tmux puts -L sockets.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, SOCKET), { force: true });
  }
});

describeWithTool('story screen in a real terminal', missing, () => {
  test('a prompt tells a story, g shows coloured gates, q quits', async () => {
    // The shell line after the program reports its exit status and keeps the pane open to read it.
    // CI is unset because Ink renders only the final frame when it believes it runs in CI.
    const command = `cd ${JSON.stringify(ROOT)} && env -u CI -u NO_COLOR TERM=xterm-256color node dist/bin/storyteller.js tui --model ${MODEL}; echo "exit status $?"; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '40', command);

    // With a default prompt the screen starts telling a story in command mode; p opens the prompt.
    const first = await waitForScreen((s) => s.includes('prompt ›') || s.includes('prompt (p to edit)'), 'the prompt line');
    if (!first.includes('prompt ›')) tmux('send-keys', '-t', SESSION, '-l', 'p');
    await waitForScreen((s) => s.includes('prompt ›'), 'the prompt input');
    tmux('send-keys', '-t', SESSION, 'C-u');
    tmux('send-keys', '-t', SESSION, '-l', 'Doug saw');
    tmux('send-keys', '-t', SESSION, 'Enter');
    // The prompt line leaves editing mode on Enter, in the same frame the new story starts, so "done"
    // next to it belongs to this story and not to one told from a default prompt.
    const story = await waitForScreen((s) => s.includes('prompt (p to edit) Doug saw') && /done: \d+ tokens/.test(s), 'the story to finish');
    expect(story).toMatch(/seed \S+/);

    tmux('send-keys', '-t', SESSION, '-l', 'g');
    await waitForScreen((s) => s.includes('forgetting') && s.includes('remembering'), 'the gate legend');
    // Background colours on the story's tokens: 16-colour, 256-colour or truecolor escapes.
    expect(screen(true)).toMatch(/\x1b\[(?:[0-9;]*;)?(?:4[0-7]|10[0-7]|48;5;\d+|48;2;\d+;\d+;\d+)[;m]/);
    expect(screen()).toMatch(/token \d+\/\d+/);

    tmux('send-keys', '-t', SESSION, '-l', 'q');
    await waitForScreen((s) => s.includes('exit status 0'), 'the program to exit with status 0', 15_000);
  }, 180_000);

  for (const [columns, rows] of [
    [120, 40],
    [80, 24],
    [200, 60],
  ]) {
    test(`at ${columns}×${rows}: six continuations and a 2,000-character prompt keep the scrollback and the header; a paste changes nothing`, async () => {
      const session = `size-${columns}x${rows}`;
      await startScreen(session, columns, rows);
      for (let i = 0; i < 6; i++) await continueStory(session);
      expectHeaderAndMarker(session);
      const settings = settingsLine(session);

      // Pasted (bracketed) and typed in one burst: either way the sentence lands in the prompt.
      tmux('set-buffer', 'The cat sat on the mat');
      tmux('paste-buffer', '-p', '-t', session);
      await waitForScreen((s) => s.includes('prompt › The cat sat on the mat'), 'the pasted prompt', 10_000, session);
      tmux('send-keys', '-t', session, 'Escape');
      await waitForScreen((s) => s.includes('prompt (p to edit)'), 'the prompt to close', 10_000, session);
      tmux('send-keys', '-t', session, '-l', 'The cat sat on the mat');
      await waitForScreen((s) => s.includes('prompt › The cat sat on the mat'), 'the typed burst in the prompt', 10_000, session);
      expect(settingsLine(session)).toBe(settings);
      expect(screen(false, session)).not.toMatch(/generating|exporting|heatmap|model \(a name/);

      tmux('send-keys', '-t', session, 'C-u');
      tmux('send-keys', '-t', session, '-l', 'the fox ran to the woods and '.repeat(70).slice(0, 2000));
      tmux('send-keys', '-t', session, 'Enter');
      await waitForScreen((s) => s.includes('prompt (p to edit) the fox ran') && /done: \d+ tokens/.test(s), 'the story after the long prompt', 30_000, session);
      expectHeaderAndMarker(session);

      // From 120×40 the window shrinks to 80×24, then grows to 200×60: each time the frame is drawn once,
      // at the top of the screen, with no line of the old one left on screen.
      if (columns === 120) {
        for (const [w, h] of [
          [80, 24],
          [200, 60],
        ]) {
          tmux('resize-window', '-t', session, '-x', String(w), '-y', String(h));
          // The terminal reflows the old frame at once; the app redraws when the size has settled.
          await new Promise((r) => setTimeout(r, 500));
          await waitForScreen((s) => s.split('\n').length >= h && s.startsWith('doug-jane-spot · '), `the frame at ${w}×${h}`, 10_000, session);
          const shown = screen(false, session);
          expectHeaderAndMarker(session);
          expect(count(shown, 'p prompt · r regen'), shown).toBe(1);
          expect(Math.max(...shown.split('\n').map((l) => [...l.trimEnd()].length))).toBeLessThanOrEqual(w);
        }
      }

      // Ctrl-C ends the program as an interrupt.
      tmux('send-keys', '-t', session, 'C-c');
      await waitForScreen((s) => s.includes('exit status 130'), 'exit status 130', 10_000, session);
    }, 120_000);
  }

});
