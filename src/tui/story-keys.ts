// Maps a key press to what it means on the story screen, given the input mode. Pure, so the key map
// is tested on its own; the app dispatches the reducer actions and performs the side effects.
import type { Key } from 'ink';
import type { StoryAction, StoryState } from './story-state.ts';

export type StoryIntent =
  | StoryAction
  | { type: 'quit' }
  | { type: 'save' }
  | { type: 'export' }
  | { type: 'new-seed' }
  | { type: 'open-demos' };

export type KeyInfo = Partial<Key>;

export function storyKeyIntents(s: StoryState, input: string, key: KeyInfo): StoryIntent[] {
  if (key.ctrl && input === 'c') return [{ type: 'quit' }];
  if (s.mode !== 'command') return editKeys(input, key);
  // Keys typed faster than the terminal is read (or sent by tmux) arrive as one string: one command each.
  if (input.length > 1 && !key.ctrl && !key.meta) return splitKeys(s, [...input]);
  if (s.help) {
    if (input === 'q') return [{ type: 'quit' }];
    // Any other key just closes the overlay, so nothing happens behind it by surprise.
    return [{ type: 'toggle-help' }];
  }
  if (key.leftArrow) return [{ type: 'move-cursor', delta: key.shift ? -10 : -1 }];
  if (key.rightArrow) return [{ type: 'move-cursor', delta: key.shift ? 10 : 1 }];
  if (key.home) return [{ type: 'cursor-edge', edge: 'start' }];
  if (key.end) return [{ type: 'cursor-edge', edge: 'end' }];
  if (key.escape) return s.gates.visible ? [{ type: 'toggle-gates' }] : [];
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
    default:
      return [];
  }
}

function splitKeys(s: StoryState, chars: string[]): StoryIntent[] {
  const out: StoryIntent[] = [];
  let state = s;
  for (let i = 0; i < chars.length; i++) {
    const intents = chars[i] === '\x03' ? [{ type: 'quit' } as const] : chars[i] < ' ' ? [] : storyKeyIntents(state, chars[i], {});
    out.push(...intents);
    for (const it of intents) {
      if (it.type === 'mode') state = { ...state, mode: it.mode };
      if (it.type === 'toggle-help') state = { ...state, help: !state.help };
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
  if (key.ctrl && input === 'u') return [{ type: 'edit', op: 'clear' }];
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return [];
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
      out.push({ type: 'quit' });
    } else if (ch >= ' ' && ch !== '\x7f') text += ch;
  });
  flush();
  return out;
}
