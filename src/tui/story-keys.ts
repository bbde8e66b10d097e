// Maps a key press to what it means on the story screen, given the input mode. Pure, so the key map
// is tested on its own; the app dispatches the reducer actions and performs the side effects.
import type { Key } from 'ink';
import type { StoryAction, StoryState } from './story-state.ts';

export type StoryIntent =
  | StoryAction
  /** interrupted: Ctrl-C, which exits with status 130 like a program stopped by SIGINT. */
  | { type: 'quit'; interrupted?: boolean }
  | { type: 'save' }
  | { type: 'export' }
  | { type: 'new-seed' }
  | { type: 'open-demos' }
  /** Scrolls the story (or, in the gate view, moves the token cursor) by a row, a page or to an end. */
  | { type: 'scroll-by'; by: 'row' | 'page' | 'edge'; dir: 1 | -1 };

/** Keys that only act in the gate view, and what they do there (said when pressed outside it). */
const GATE_ONLY: Record<string, string> = {
  l: 'l picks the layer',
  k: 'k the kind',
  K: 'K the kind',
  e: 'e exports the heatmap',
  v: 'v colours by a summary',
  '<': '< > step through suggested units',
  '>': '< > step through suggested units',
  ',': ', . step through units',
  '.': ', . step through units',
  x: 'x picks the suggestion rule',
  z: 'z picks the colour scale',
  b: 'b marks a span',
};

export type KeyInfo = Partial<Key>;

export function storyKeyIntents(s: StoryState, input: string, key: KeyInfo): StoryIntent[] {
  if (key.ctrl && input === 'c') return [{ type: 'quit', interrupted: true }];
  const scroll = scrollKey(key);
  if (s.mode !== 'command') return editKeys(input, key);
  // Keys typed faster than the terminal is read (or sent by tmux) arrive as one string: one command
  // each, unless the string looks pasted (see looksPasted), which never runs commands.
  if (input.length > 1 && !key.ctrl && !key.meta) return looksPasted(input) ? [{ type: 'paste', text: input }] : splitKeys(s, [...input]);
  if (s.help) {
    if (input === 'q') return [{ type: 'quit' }];
    if (scroll) return [{ type: 'scroll-by', ...scroll }];
    // Any other key just closes the overlay, so nothing happens behind it by surprise.
    return [{ type: 'toggle-help' }];
  }
  if (s.gates.visible) {
    if (key.leftArrow) return [{ type: 'move-cursor', delta: key.shift ? -10 : -1 }];
    if (key.rightArrow) return [{ type: 'move-cursor', delta: key.shift ? 10 : 1 }];
    if (key.home) return [{ type: 'cursor-edge', edge: 'start' }];
    if (key.end) return [{ type: 'cursor-edge', edge: 'end' }];
  } else if (key.leftArrow || key.rightArrow) {
    return [note('←/→ move the token cursor in the gate view (g); ↑/↓, PgUp/PgDn, Home/End scroll the story')];
  }
  if (scroll) return [{ type: 'scroll-by', ...scroll }];
  if (key.escape) return s.gates.visible ? [{ type: 'toggle-gates' }] : [];
  if (!s.gates.visible && GATE_ONLY[input]) return [note(`${GATE_ONLY[input]} in the gate view: g opens it`)];
  switch (input) {
    case 'q':
      return [{ type: 'quit' }];
    case '?':
      return [{ type: 'toggle-help' }];
    case 'p':
    case '/':
      return [{ type: 'mode', mode: 'prompt' }];
    case 'o':
      return [{ type: 'mode', mode: 'path' }];
    case 'r':
      return [{ type: 'generate' }];
    case 'c':
      return [{ type: 'generate', continue: true }];
    case 'm':
      return [{ type: 'cycle-model' }];
    case '[':
    case 't':
      return [{ type: 'adjust', setting: 'temperature', dir: -1 }];
    case ']':
    case 'T':
      return [{ type: 'adjust', setting: 'temperature', dir: 1 }];
    case '{':
      return [{ type: 'adjust', setting: 'topK', dir: -1 }];
    case '}':
      return [{ type: 'adjust', setting: 'topK', dir: 1 }];
    case '(':
      return [{ type: 'adjust', setting: 'topP', dir: -1 }];
    case ')':
      return [{ type: 'adjust', setting: 'topP', dir: 1 }];
    case '-':
      return [{ type: 'adjust', setting: 'length', dir: -1 }];
    case '+':
    case '=':
      return [{ type: 'adjust', setting: 'length', dir: 1 }];
    case 'u':
      return [{ type: 'cycle-unknown' }];
    case 's':
      return [{ type: 'toggle-seed-fixed' }];
    case 'n':
      return [{ type: 'new-seed' }];
    case 'g':
      return [{ type: 'toggle-gates' }];
    case 'l':
      return [{ type: 'cycle-layer' }];
    case 'k':
      return [{ type: 'cycle-kind' }];
    case 'K':
      return [{ type: 'cycle-kind', dir: -1 }];
    case 'v':
      return [{ type: 'gate', op: { op: 'summary' } }];
    case '>':
    case '<':
      return [{ type: 'gate', op: { op: 'suggest', dir: input === '>' ? 1 : -1 } }];
    case '.':
    case ',':
      return [{ type: 'gate', op: { op: 'unit', dir: input === '.' ? 1 : -1 } }];
    case 'x':
      return [{ type: 'gate', op: { op: 'rule' } }];
    case 'z':
      return [{ type: 'gate', op: { op: 'scale' } }];
    case 'b':
      return [{ type: 'gate', op: { op: 'mark' } }];
    case 'w':
      return [{ type: 'save' }];
    case 'e':
      return [{ type: 'export' }];
    case 'D':
      return [{ type: 'open-demos' }];
    case 'E':
      return [{ type: 'episode' }];
    default:
      return [];
  }
}

function note(text: string): StoryIntent {
  return { type: 'message', message: { kind: 'info', text } };
}

/** ↑/↓ a row, PgUp/PgDn a page, Home/End to an end (Home/End only reach here outside the gate view). */
function scrollKey(key: KeyInfo): { by: 'row' | 'page' | 'edge'; dir: 1 | -1 } | undefined {
  if (key.upArrow) return { by: 'row', dir: -1 };
  if (key.downArrow) return { by: 'row', dir: 1 };
  if (key.pageUp) return { by: 'page', dir: -1 };
  if (key.pageDown) return { by: 'page', dir: 1 };
  if (key.home) return { by: 'edge', dir: -1 };
  if (key.end) return { by: 'edge', dir: 1 };
  return undefined;
}

/**
 * Whether text that arrived in one read outside an input is a paste rather than keys typed fast: it
 * holds a space or a line break, or it is four or more characters that are not one key held down.
 * Terminals with bracketed paste mark pastes outright (story-app.tsx); this catches the others.
 * A burst starting with p, / or o is keys: the rest is text for the input those keys open.
 */
export function looksPasted(input: string): boolean {
  const chars = [...input];
  if ('p/o'.includes(chars[0])) return false;
  if (/[\s]/.test(input)) return true;
  return chars.length >= 4 && new Set(chars).size > 1;
}

function splitKeys(s: StoryState, chars: string[]): StoryIntent[] {
  const out: StoryIntent[] = [];
  let state = s;
  for (let i = 0; i < chars.length; i++) {
    const intents = chars[i] === '\x03' ? [{ type: 'quit', interrupted: true } as const] : chars[i] < ' ' ? [] : storyKeyIntents(state, chars[i], {});
    out.push(...intents);
    for (const it of intents) {
      if (it.type === 'mode') state = { ...state, mode: it.mode };
      if (it.type === 'toggle-help') state = { ...state, help: !state.help };
      if (it.type === 'toggle-gates') state = { ...state, gates: { ...state.gates, visible: !state.gates.visible } };
    }
    // After p or o the rest is text for the input that just opened.
    if (state.mode !== 'command') return [...out, ...editBurst(chars.slice(i + 1).join(''))];
  }
  return out;
}

function editKeys(input: string, key: KeyInfo): StoryIntent[] {
  if (key.return) return [{ type: 'submit' }];
  if (key.escape) return [{ type: 'mode', mode: 'command' }];
  // Terminals send DEL (0x7f) for Backspace, which Ink reports as delete: both erase backwards.
  if (key.backspace || key.delete) return [{ type: 'edit', op: 'backspace' }];
  // The line editor of a shell: arrows, Home/End, Ctrl-A/E/U/K/W/D, Alt-←/→ by words, ↑/↓ history.
  if (key.leftArrow) return [{ type: 'edit', op: key.ctrl || key.meta ? 'word-left' : 'left' }];
  if (key.rightArrow) return [{ type: 'edit', op: key.ctrl || key.meta ? 'word-right' : 'right' }];
  if (key.home) return [{ type: 'edit', op: 'home' }];
  if (key.end) return [{ type: 'edit', op: 'end' }];
  if (key.upArrow) return [{ type: 'history', dir: -1 }];
  if (key.downArrow) return [{ type: 'history', dir: 1 }];
  if (key.ctrl) {
    const op = ({ u: 'clear', a: 'home', e: 'end', k: 'kill-end', w: 'kill-word', d: 'delete', b: 'left', f: 'right' } as const)[input];
    return op ? [{ type: 'edit', op }] : [];
  }
  if (key.meta && (input === 'b' || input === 'f')) return [{ type: 'edit', op: input === 'b' ? 'word-left' : 'word-right' }];
  if (key.meta || key.tab || key.pageUp || key.pageDown) return [];
  return editBurst(input);
}

/**
 * Text that arrived in one read: fast typing (or tmux send-keys) can bundle Ctrl-U, Backspace and a
 * final Enter with the letters. A line break at the very end is Enter; line breaks inside are pasted
 * text and become spaces, so a multi-line paste cannot submit half of itself and run the rest as keys.
 */
function editBurst(input: string): StoryIntent[] {
  const out: StoryIntent[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'edit', op: { insert: text } });
    text = '';
  };
  const chars = [...input];
  chars.forEach((ch, i) => {
    if (ch === '\r' || ch === '\n') {
      if (i === chars.length - 1) {
        flush();
        out.push({ type: 'submit' });
      } else if (!(ch === '\n' && chars[i - 1] === '\r')) text += ' ';
    } else if (ch === '\x7f' || ch === '\b') {
      flush();
      out.push({ type: 'edit', op: 'backspace' });
    } else if (ch === '\x15') {
      flush();
      out.push({ type: 'edit', op: 'clear' });
    } else if (ch === '\x03') {
      flush();
      out.push({ type: 'quit', interrupted: true });
    } else if (ch >= ' ' && ch !== '\x7f') text += ch;
  });
  flush();
  return out;
}
