import { describe, expect, test } from 'vitest';
import { storyKeyIntents } from '../../src/tui/story-keys.ts';
import { initialStoryState, type StoryState } from '../../src/tui/story-state.ts';

const prompt = initialStoryState({ model: 'm' });
const command: StoryState = { ...prompt, mode: 'command' };
const gates: StoryState = { ...command, gates: { ...command.gates, visible: true } };
const types = (s: StoryState, input: string, key = {}) => storyKeyIntents(s, input, key).map((i) => i.type);

describe('story keys', () => {
  test('in the prompt, letters (q too) are text', () => {
    expect(storyKeyIntents(prompt, 'q', {})).toEqual([{ type: 'edit', op: { insert: 'q' } }]);
  });

  test('in the prompt, Enter submits and Esc returns to commands', () => {
    expect(types(prompt, '\r', { return: true })).toEqual(['submit']);
    expect(storyKeyIntents(prompt, '', { escape: true })).toEqual([{ type: 'mode', mode: 'command' }]);
  });

  test('Backspace (which terminals send as DEL) erases in the prompt', () => {
    expect(storyKeyIntents(prompt, '', { delete: true })).toEqual([{ type: 'edit', op: 'backspace' }]);
  });

  test('pasted line breaks become spaces rather than submitting', () => {
    expect(storyKeyIntents(prompt, 'a\nb', {})).toEqual([{ type: 'edit', op: { insert: 'a b' } }]);
  });

  test('Ctrl-C quits in every mode', () => {
    expect(types(prompt, 'c', { ctrl: true })).toEqual(['quit']);
    expect(types(command, 'c', { ctrl: true })).toEqual(['quit']);
  });

  test('in command mode q quits, p and / focus the prompt, o the path input', () => {
    expect(types(command, 'q')).toEqual(['quit']);
    expect(storyKeyIntents(command, 'p', {})).toEqual([{ type: 'mode', mode: 'prompt' }]);
    expect(storyKeyIntents(command, '/', {})).toEqual([{ type: 'mode', mode: 'prompt' }]);
    expect(storyKeyIntents(command, 'o', {})).toEqual([{ type: 'mode', mode: 'path' }]);
  });

  test('r regenerates and c continues', () => {
    expect(storyKeyIntents(command, 'r', {})).toEqual([{ type: 'generate' }]);
    expect(storyKeyIntents(command, 'c', {})).toEqual([{ type: 'generate', continue: true }]);
  });

  test('D opens the demo screen; in the prompt it is just a letter', () => {
    expect(storyKeyIntents(command, 'D', {})).toEqual([{ type: 'open-demos' }]);
    expect(storyKeyIntents(prompt, 'D', {})).toEqual([{ type: 'edit', op: { insert: 'D' } }]);
  });

  test('in the gate view arrows move the cursor by one, with Shift by ten', () => {
    expect(storyKeyIntents(gates, '', { leftArrow: true })).toEqual([{ type: 'move-cursor', delta: -1 }]);
    expect(storyKeyIntents(gates, '', { rightArrow: true, shift: true })).toEqual([{ type: 'move-cursor', delta: 10 }]);
    expect(storyKeyIntents(gates, '', { home: true })).toEqual([{ type: 'cursor-edge', edge: 'start' }]);
  });

  test('outside the gate view ↑/↓, PgUp/PgDn and Home/End scroll the story', () => {
    expect(storyKeyIntents(command, '', { upArrow: true })).toEqual([{ type: 'scroll-by', by: 'row', dir: -1 }]);
    expect(storyKeyIntents(command, '', { pageDown: true })).toEqual([{ type: 'scroll-by', by: 'page', dir: 1 }]);
    expect(storyKeyIntents(command, '', { home: true })).toEqual([{ type: 'scroll-by', by: 'edge', dir: -1 }]);
    expect(storyKeyIntents(gates, '', { pageUp: true })).toEqual([{ type: 'scroll-by', by: 'page', dir: -1 }]);
  });

  test('keys that only work in the gate view say so outside it instead of acting unseen', () => {
    for (const k of ['l', 'k', 'e']) {
      const [intent] = storyKeyIntents(command, k, {});
      expect(intent.type, k).toBe('message');
      expect(JSON.stringify(intent)).toContain('g opens it');
    }
    expect(types(command, '', { leftArrow: true })).toEqual(['message']);
    expect(types(gates, 'l')).toEqual(['cycle-layer']);
  });

  test('a pasted sentence is one paste, never a row of commands', () => {
    expect(storyKeyIntents(command, 'The cat sat on the mat', {})).toEqual([{ type: 'paste', text: 'The cat sat on the mat' }]);
    expect(storyKeyIntents(command, 'Tomorrow', {})).toEqual([{ type: 'paste', text: 'Tomorrow' }]);
  });

  test('a key held down or two keys pressed together are still keys', () => {
    expect(types(command, ']]]]')).toEqual(['adjust', 'adjust', 'adjust', 'adjust']);
    expect(types(command, 'uu')).toEqual(['cycle-unknown', 'cycle-unknown']);
  });

  test('Ctrl-C is an interrupt (exit status 130), q a plain quit', () => {
    expect(storyKeyIntents(command, 'c', { ctrl: true })).toEqual([{ type: 'quit', interrupted: true }]);
    expect(storyKeyIntents(command, 'q', {})).toEqual([{ type: 'quit' }]);
  });

  test('in the prompt, arrows, Home/End and Ctrl keys edit the line, ↑/↓ recall earlier prompts', () => {
    expect(storyKeyIntents(prompt, '', { leftArrow: true })).toEqual([{ type: 'edit', op: 'left' }]);
    expect(storyKeyIntents(prompt, '', { end: true })).toEqual([{ type: 'edit', op: 'end' }]);
    expect(storyKeyIntents(prompt, 'a', { ctrl: true })).toEqual([{ type: 'edit', op: 'home' }]);
    expect(storyKeyIntents(prompt, 'w', { ctrl: true })).toEqual([{ type: 'edit', op: 'kill-word' }]);
    expect(storyKeyIntents(prompt, '', { upArrow: true })).toEqual([{ type: 'history', dir: -1 }]);
  });

  test('while help is open ↑/↓ scroll it', () => {
    expect(storyKeyIntents({ ...command, help: true }, '', { downArrow: true })).toEqual([{ type: 'scroll-by', by: 'row', dir: 1 }]);
  });

  test('while help is open any key closes it instead of acting', () => {
    expect(types({ ...command, help: true }, 'r')).toEqual(['toggle-help']);
  });

  test('several keys arriving together act one by one', () => {
    expect(types(command, 'gl')).toEqual(['toggle-gates', 'cycle-layer']);
  });

  test('after p in a burst of keys the rest is prompt text', () => {
    expect(storyKeyIntents(command, 'pSpot', {})).toEqual([{ type: 'mode', mode: 'prompt' }, { type: 'edit', op: { insert: 'Spot' } }]);
  });

  test('text arriving together with a final Enter is typed, then submitted', () => {
    expect(storyKeyIntents(prompt, 'Doug saw\r', {})).toEqual([{ type: 'edit', op: { insert: 'Doug saw' } }, { type: 'submit' }]);
  });

  test('p, Ctrl-U, text and Enter in one read open, clear, fill and submit the prompt', () => {
    expect(types(command, 'p\x15Doug\r')).toEqual(['mode', 'edit', 'edit', 'submit']);
  });
});
