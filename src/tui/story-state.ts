// State of the story screen as a pure reducer: key handling, engine events and model loading all become
// actions, so every behaviour is testable without Ink. Side effects (the generation loop, loading a
// model, writing files) live in story-app.tsx and report back through actions.
// The sampling settings (story-settings.ts), the story being told (story-run.ts) and the text inputs
// (story-input.ts) have modules of their own; this one joins them into the screen's one reducer.
import { FORGET_NOTES } from '../engine/config.ts';
import type { GateKind, GenerationEvent } from '../generation/events.ts';
import { STORY_DEFAULTS } from '../generation/story-defaults.ts';
import type { ModelSummary } from '../generation/story-engine.ts';
import { DEFAULT_GATE_CHOICES, gateReducer, type GateChoices, type GateOp } from './gate-choice.ts';
import { availableKinds, layerCount } from './gate-stats.ts';
import { remember, type EditOp } from './line-editor.ts';
import { inputReducer, openPrompt } from './story-input.ts';
import { applyEvent, gateTokens, startRun, type HistoryItem, type Run } from './story-run.ts';
import { adjustSetting, nextUnknownPolicy, type Settings } from './story-settings.ts';
import { EPISODE_PROMPT, PROSE_MODEL } from '../demos/long-dependency-examples.ts';

export type InputMode = 'command' | 'prompt' | 'path';

export interface Message {
  kind: 'info' | 'error';
  text: string;
}

export interface GateViewState extends GateChoices {
  visible: boolean;
  layer: number;
  kind: GateKind;
  /** Selected token among the prompt's and the story's (gateTokens); null follows the newest while the story streams. */
  cursor: number | null;
  /** The kind picked with k, shown again when the model has it (a plain RNN has only the cell state). */
  wanted?: GateKind;
}

export interface StoryState {
  /** Reference of the loaded model (or the one being loaded first). */
  modelRef: string;
  model?: ModelSummary;
  models: ModelSummary[];
  loading?: { id: number; target: string; thenGenerate: boolean };
  mode: InputMode;
  promptDraft: string;
  pathDraft: string;
  /** Cursor in the open input (prompt or path), in code points. */
  draftCursor: number;
  /** Prompts told so far, oldest first; ↑/↓ in the prompt recall them. */
  promptHistory: string[];
  /** Entry of promptHistory shown while browsing it, and the draft it replaced. */
  historyAt?: number;
  historyStash?: string;
  /** Prompt of the current story. */
  prime: string;
  settings: Settings;
  run?: Run;
  nextId: number;
  /** Finished stories, printed once above the live area. */
  history: HistoryItem[];
  message?: Message;
  gates: GateViewState;
  help: boolean;
  /** First help line shown when the help is taller than the screen. */
  helpTop: number;
  /** First story row shown; null follows the end of the story as it streams. */
  scrollTop: number | null;
}

export type StoryAction =
  | { type: 'models-listed'; models: ModelSummary[] }
  | { type: 'load-model'; target: string; thenGenerate?: boolean }
  | { type: 'model-loaded'; id: number; model: ModelSummary }
  | { type: 'model-failed'; id: number; message: string }
  | { type: 'cycle-model' }
  /** The long-dependency episode: its model, the ready-made prompt to edit, greedy and just long enough to answer. */
  | { type: 'episode' }
  | { type: 'generate'; continue?: boolean }
  | { type: 'gen-event'; runId: number; event: GenerationEvent }
  | { type: 'gen-events'; runId: number; events: GenerationEvent[] }
  | { type: 'gen-failed'; runId: number; message: string }
  | { type: 'adjust'; setting: 'temperature' | 'topK' | 'topP' | 'length'; dir: 1 | -1 }
  | { type: 'cycle-unknown' }
  | { type: 'toggle-seed-fixed' }
  | { type: 'set-seed'; seed: string }
  | { type: 'mode'; mode: InputMode }
  | { type: 'edit'; op: EditOp }
  | { type: 'history'; dir: 1 | -1 }
  | { type: 'paste'; text: string }
  | { type: 'scroll'; top: number | null }
  | { type: 'help-scroll'; top: number }
  | { type: 'submit' }
  | { type: 'toggle-gates' }
  | { type: 'move-cursor'; delta: number }
  | { type: 'cursor-edge'; edge: 'start' | 'end' }
  | { type: 'cycle-layer' }
  | { type: 'cycle-kind'; dir?: 1 | -1 }
  | { type: 'gate'; op: GateOp }
  | { type: 'toggle-help' }
  | { type: 'message'; message?: Message };

export interface InitOptions {
  model: string;
  prime?: string;
  seed?: string;
  temperature?: number;
  topP?: number;
  length?: number;
}

/** Enough characters for " French." — finish goes on to the end of a longer language name. */
const EPISODE_LENGTH = 8;

export function initialStoryState(o: InitOptions): StoryState {
  return {
    modelRef: o.model,
    models: [],
    // The first model load is requested at once; the app runs it on mount.
    loading: { id: 1, target: o.model, thenGenerate: Boolean(o.prime) },
    mode: o.prime ? 'command' : 'prompt',
    promptDraft: o.prime ?? '',
    pathDraft: '',
    draftCursor: [...(o.prime ?? '')].length,
    promptHistory: [],
    prime: o.prime ?? '',
    settings: {
      temperature: o.temperature ?? STORY_DEFAULTS.temperature,
      topK: 0,
      topP: o.topP ?? STORY_DEFAULTS.topP,
      length: o.length ?? STORY_DEFAULTS.length,
      unknown: 'replace',
      seed: o.seed,
      seedFixed: o.seed !== undefined,
    },
    nextId: 2,
    history: [],
    gates: { visible: false, layer: 0, kind: 'forget', cursor: null, ...DEFAULT_GATE_CHOICES },
    help: false,
    helpTop: 0,
    scrollTop: null,
  };
}

export function storyReducer(s: StoryState, a: StoryAction): StoryState {
  switch (a.type) {
    case 'models-listed':
      return { ...s, models: a.models };
    case 'load-model':
      return {
        ...s,
        loading: { id: s.nextId, target: a.target, thenGenerate: a.thenGenerate ?? false },
        nextId: s.nextId + 1,
        message: { kind: 'info', text: `loading ${a.target}…` },
      };
    case 'model-loaded': {
      if (s.loading?.id !== a.id) return s;
      const then = s.loading.thenGenerate;
      const layers = a.model.layers;
      const loaded: StoryState = {
        ...s,
        modelRef: s.loading.target,
        model: a.model,
        loading: undefined,
        message: { kind: 'info', text: `loaded ${a.model.name}` },
        // A unit the new model lacks (64 units after 256) falls back to the summary.
        gates: { ...s.gates, layer: Math.min(s.gates.layer, Math.max(0, layers - 1)), unit: s.gates.unit !== null && s.gates.unit >= a.model.hiddenSize ? null : s.gates.unit },
      };
      return then ? startRun(loaded, false) : loaded;
    }
    case 'model-failed':
      if (s.loading?.id !== a.id) return s;
      return { ...s, loading: undefined, message: { kind: 'error', text: a.message } };
    case 'cycle-model': {
      if (s.models.length === 0) return { ...s, message: { kind: 'error', text: 'no other checkpoints in the models folder (o opens a path)' } };
      const cur = s.models.findIndex((m) => m.name === s.model?.name || m.path === s.model?.path || m.name === s.modelRef || m.path === s.modelRef);
      const next = s.models[(cur + 1) % s.models.length];
      return storyReducer(s, { type: 'load-model', target: next.name, thenGenerate: hasStory(s) });
    }
    case 'episode': {
      const names = new Set(s.models.map((m) => m.name));
      const target = [PROSE_MODEL, 'long-dep-lstm'].find((n) => names.has(n));
      if (!target) return { ...s, message: { kind: 'error', text: `no long-dependency model in the models folder (${PROSE_MODEL} or long-dep-lstm)` } };
      const loading = s.model?.name === target ? s : storyReducer(s, { type: 'load-model', target });
      return {
        ...openPrompt(loading, EPISODE_PROMPT),
        settings: { ...s.settings, temperature: 0, length: EPISODE_LENGTH },
        message: { kind: 'info', text: `episode for ${target}: type your own sentences between the country and "I speak fluent", Enter answers; g K > shows the memory cell` },
      };
    }
    case 'generate':
      return startRun(s, a.continue ?? false);
    case 'gen-event':
      return s.run?.id === a.runId ? applyEvent(s, s.run, a.event) : s;
    case 'gen-events':
      return a.events.reduce((acc, event) => storyReducer(acc, { type: 'gen-event', runId: a.runId, event }), s);
    case 'gen-failed':
      if (s.run?.id !== a.runId) return s;
      return { ...s, run: { ...s.run, status: 'failed' }, message: { kind: 'error', text: a.message } };
    case 'adjust':
      return { ...s, settings: adjustSetting(s.settings, a.setting, a.dir) };
    case 'cycle-unknown':
      return { ...s, settings: { ...s.settings, unknown: nextUnknownPolicy(s.settings.unknown) } };
    case 'toggle-seed-fixed': {
      const seedFixed = !s.settings.seedFixed;
      const text = seedFixed
        ? s.settings.seed ? `seed ${s.settings.seed} fixed: r repeats this story` : 'seed fixed once the next story starts'
        : 'seed free: every story draws a new seed';
      return { ...s, settings: { ...s.settings, seedFixed }, message: { kind: 'info', text } };
    }
    case 'set-seed':
      return {
        ...s,
        settings: { ...s.settings, seed: a.seed, seedFixed: true },
        message: { kind: 'info', text: `new seed ${a.seed} (fixed)` },
      };
    case 'mode':
    case 'edit':
    case 'history':
    case 'paste':
      return inputReducer(s, a);
    case 'scroll':
      return { ...s, scrollTop: a.top };
    case 'help-scroll':
      return { ...s, helpTop: Math.max(0, a.top) };
    case 'submit':
      if (s.mode === 'prompt') {
        const told = { ...s, mode: 'command' as const, prime: s.promptDraft, promptHistory: remember(s.promptHistory, s.promptDraft), historyAt: undefined, historyStash: undefined };
        return startRun(told, false);
      }
      if (s.mode === 'path') {
        const target = s.pathDraft.trim();
        if (!target) return { ...s, mode: 'command' };
        return storyReducer({ ...s, mode: 'command' }, { type: 'load-model', target, thenGenerate: hasStory(s) });
      }
      return s;
    case 'toggle-gates': {
      // Opening the gate view on a cell whose "forget" is not a gate of its own says so in plain words.
      const visible = !s.gates.visible;
      const note = visible && s.model ? FORGET_NOTES[s.model.cell] : undefined;
      return { ...s, gates: { ...s.gates, visible }, ...(note ? { message: { kind: 'info' as const, text: note } } : {}) };
    }
    case 'move-cursor': {
      const n = gateTokens(s.run).length;
      if (n === 0) return s;
      const from = s.gates.cursor ?? n - 1;
      return { ...s, gates: { ...s.gates, cursor: Math.min(n - 1, Math.max(0, from + a.delta)) } };
    }
    case 'cursor-edge': {
      const n = gateTokens(s.run).length;
      return { ...s, gates: { ...s.gates, cursor: a.edge === 'start' && n > 0 ? 0 : null } };
    }
    case 'cycle-layer': {
      const layers = layerCount(s.run?.tokens ?? [], s.model?.layers ?? 1);
      return { ...s, gates: { ...s.gates, layer: (s.gates.layer + 1) % Math.max(1, layers) } };
    }
    case 'cycle-kind': {
      const kinds = availableKinds(s.run?.tokens ?? []);
      const i = kinds.indexOf(s.gates.kind);
      const kind = kinds[(i + (a.dir ?? 1) + kinds.length) % kinds.length];
      return { ...s, gates: { ...s.gates, kind, wanted: kind } };
    }
    case 'gate': {
      const { gates, message } = gateReducer(s.gates, a.op, { tokens: gateTokens(s.run), layer: s.gates.layer, kind: s.gates.kind, cursor: selectedToken(s) });
      return { ...s, gates, message: { kind: 'info', text: message } };
    }
    case 'toggle-help':
      return { ...s, help: !s.help, helpTop: 0 };
    case 'message':
      return { ...s, message: a.message };
  }
}

function hasStory(s: StoryState): boolean {
  return Boolean(s.run) || s.prime.length > 0;
}

/** Index (in gateTokens) of the token the gate panel describes: the cursor, or the newest token while following. */
export function selectedToken(s: StoryState): number {
  const n = gateTokens(s.run).length;
  if (n === 0) return -1;
  return s.gates.cursor === null ? n - 1 : Math.min(s.gates.cursor, n - 1);
}
