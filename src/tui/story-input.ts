// The story screen's text inputs, the prompt and the model path: opening one, editing it, recalling earlier
// prompts with ↑/↓, and pasting.
import { applyEdit } from './line-editor.ts';
import type { StoryAction, StoryState } from './story-state.ts';

export type InputAction = Extract<StoryAction, { type: 'mode' | 'edit' | 'history' | 'paste' }>;

export function inputReducer(s: StoryState, a: InputAction): StoryState {
  switch (a.type) {
    case 'mode': {
      // Opening the prompt edits the current one; opening the path input starts empty.
      const promptDraft = a.mode === 'prompt' && s.mode !== 'prompt' ? s.prime : s.promptDraft;
      const pathDraft = a.mode === 'path' && s.mode !== 'path' ? '' : s.pathDraft;
      const draftCursor = a.mode === s.mode ? s.draftCursor : [...(a.mode === 'path' ? pathDraft : promptDraft)].length;
      return { ...s, mode: a.mode, help: false, promptDraft, pathDraft, draftCursor, historyAt: undefined, historyStash: undefined };
    }
    case 'edit': {
      const field = s.mode === 'path' ? 'pathDraft' : s.mode === 'prompt' ? 'promptDraft' : undefined;
      if (!field) return s;
      const next = applyEdit({ text: s[field], cursor: s.draftCursor }, a.op);
      return { ...s, [field]: next.text, draftCursor: next.cursor };
    }
    case 'history': {
      if (s.mode !== 'prompt') return s;
      const h = s.promptHistory;
      const at = (s.historyAt ?? h.length) + a.dir;
      if (at < 0 || at > h.length || (s.historyAt === undefined && a.dir > 0)) return s;
      // Past the newest entry is the draft that was being typed before browsing.
      const text = at === h.length ? (s.historyStash ?? '') : h[at];
      return {
        ...s,
        promptDraft: text,
        draftCursor: [...text].length,
        historyAt: at === h.length ? undefined : at,
        historyStash: s.historyAt === undefined ? s.promptDraft : s.historyStash,
      };
    }
    case 'paste': {
      // Pasted text is never a row of commands: outside an input it opens the prompt with it.
      const text = a.text.replace(/\r\n?|\n/g, ' ');
      if (!text) return s;
      if (s.mode !== 'command') return inputReducer(s, { type: 'edit', op: { insert: text } });
      return { ...openPrompt(s, text), message: { kind: 'info', text: `pasted ${[...text].length} characters into the prompt: Enter tells the story, Esc keeps the old prompt` } };
    }
  }
}

/** The prompt opened holding `text` (pasted, or a ready-made episode), the cursor at its end. */
export function openPrompt(s: StoryState, text: string): StoryState {
  return { ...s, mode: 'prompt', help: false, promptDraft: text, draftCursor: [...text].length, historyAt: undefined, historyStash: undefined };
}
