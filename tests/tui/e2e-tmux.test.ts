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
function screen(escapes = false): string {
  return tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', SESSION);
}

async function waitForScreen(check: (s: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
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
});
