// State of the story screen as a pure reducer: key handling, engine events and model loading all become
// actions, so every behaviour is testable without Ink. Side effects (the generation loop, loading a
// model, writing files) live in story-app.tsx and report back through actions.
import type { Candidate, GateKind, GenerateOptions, GenerationEvent, LayerTrace, UnknownPolicy } from '../generation/events.ts';
import { STORY_ENDING } from '../generation/events.ts';
import { STORY_DEFAULTS } from '../generation/story-defaults.ts';
import type { ModelSummary } from '../generation/story-engine.ts';
import { DEFAULT_GATE_CHOICES, gateReducer, type GateChoices, type GateOp } from './gate-choice.ts';
import { availableKinds, layerCount } from './gate-stats.ts';
import { applyEdit, remember, type EditOp } from './line-editor.ts';
import { EPISODE_PROMPT, PROSE_MODEL } from '../demos/long-dependency-examples.ts';

export type InputMode = 'command' | 'prompt' | 'path';

export interface Settings {
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  length: number;
  unknown: UnknownPolicy;
  /** Seed of the last story, or the one the next story will use when fixed. */
  seed?: string;
  /** When fixed, r regenerates the same story; otherwise every story draws a fresh seed. */
  seedFixed: boolean;
}

export interface TokenRecord {
  text: string;
  prob: number;
  top: Candidate[];
  gates?: LayerTrace[];
}

export interface Run {
  id: number;
  /** Model reference handed to engine.generate (name or path as the user gave it). */
  model: string;
  options: Partial<GenerateOptions>;
  status: 'streaming' | 'done' | 'failed';
  seed?: string;
  primeText: string;
  /** The prompt as the model read it (gates, probabilities), once it has been read. */
  promptTokens?: TokenRecord[];
  tokens: TokenRecord[];
  text: string;
  endReason?: string;
}

export interface HistoryItem {
  id: number;
  title: string;
  text: string;
}

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

export const TOP_K_STEPS = [0, 1, 2, 3, 5, 10, 20, 40];
export const TOP_P_STEPS = [0.5, 0.7, 0.8, 0.9, 0.95, 1];
// 600 is npm start's default length, so - then + comes back to it.
export const LENGTH_STEPS = [25, 50, 100, 200, 400, 600, 800, 1200, 1600, 3200];
/** Enough characters for " French." — finish goes on to the end of a longer language name. */
const EPISODE_LENGTH = 8;
const UNKNOWN_POLICIES: UnknownPolicy[] = ['replace', 'skip', 'error'];
const TEMPERATURE_STEP = 0.1;
const MAX_TEMPERATURE = 3;

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
        ...loading,
        mode: 'prompt',
        help: false,
        promptDraft: EPISODE_PROMPT,
        draftCursor: [...EPISODE_PROMPT].length,
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
      return { ...s, settings: adjust(s.settings, a.setting, a.dir) };
    case 'cycle-unknown': {
      const unknown = UNKNOWN_POLICIES[(UNKNOWN_POLICIES.indexOf(s.settings.unknown) + 1) % UNKNOWN_POLICIES.length];
      return { ...s, settings: { ...s.settings, unknown } };
    }
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
      if (s.mode !== 'command') return storyReducer(s, { type: 'edit', op: { insert: text } });
      return {
        ...s,
        mode: 'prompt',
        help: false,
        promptDraft: text,
        draftCursor: [...text].length,
        historyAt: undefined,
        historyStash: undefined,
        message: { kind: 'info', text: `pasted ${[...text].length} characters into the prompt: Enter tells the story, Esc keeps the old prompt` },
      };
    }
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
    case 'toggle-gates':
      return { ...s, gates: { ...s.gates, visible: !s.gates.visible } };
    case 'move-cursor': {
      const n = gateTokens(s.run).length;
      if (n === 0) return s;
      const from = s.gates.cursor ?? n - 1;
      return { ...s, gates: { ...s.gates, cursor: clamp(from + a.delta, 0, n - 1) } };
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

function startRun(s: StoryState, cont: boolean): StoryState {
  if (!s.model && s.loading && !cont) {
    // Enter pressed before the first model is ready: tell the story as soon as it is.
    return { ...s, loading: { ...s.loading, thenGenerate: true }, message: { kind: 'info', text: 'the story starts once the model has loaded' } };
  }
  if (!s.model) return { ...s, message: { kind: 'error', text: 'no model loaded: m cycles models, o opens a path' } };
  if (cont && !s.run) return { ...s, message: { kind: 'error', text: 'nothing to continue yet: type a prompt first (p)' } };
  const prime = cont && s.run ? s.run.primeText + s.run.text : s.prime;
  const reused = cont && s.run?.status === 'done' && s.run.promptTokens?.map((t) => t.text).join('') === s.run.primeText ? gateTokens(s.run) : undefined;
  const { temperature, topK, topP, length, unknown, seed, seedFixed } = s.settings;
  const options: Partial<GenerateOptions> = {
    prime,
    length,
    temperature,
    topK,
    topP,
    unknown,
    ...STORY_ENDING,
    trace: true,
    // A continuation's prompt is the story so far, whose traces are already here (reading it again from the
    // start gives the same gates), so only a new prompt is traced: six continuations would otherwise send
    // the whole story's gates across the worker boundary each time.
    tracePrompt: !reused,
    topCandidates: 5,
    ...(seedFixed && seed !== undefined ? { seed } : {}),
  };
  const history = s.run && s.run.tokens.length > 0 ? [...s.history, historyItem(s.run)] : s.history;
  const run: Run = { id: s.nextId, model: s.modelRef, options, status: 'streaming', primeText: prime, promptTokens: reused, tokens: [], text: '' };
  return {
    ...s,
    run,
    prime: cont ? prime : s.prime,
    nextId: s.nextId + 1,
    history,
    message: undefined,
    // A marked span names token positions of the old story.
    gates: { ...s.gates, cursor: null, span: null, rule: s.gates.rule === 'span' ? 'memory' : s.gates.rule },
    scrollTop: null,
  };
}

function historyItem(r: Run): HistoryItem {
  return { id: r.id, title: `${r.model} · seed ${r.seed ?? '?'} · T ${r.options.temperature}`, text: r.primeText + r.text };
}

function applyEvent(s: StoryState, run: Run, e: GenerationEvent): StoryState {
  switch (e.type) {
    case 'start': {
      const replaced = e.unknown.actions.map((x) => `${JSON.stringify(x.from)}→${x.to === null ? 'dropped' : JSON.stringify(x.to)}`);
      return {
        ...s,
        run: { ...run, seed: e.seed, primeText: e.primeText },
        settings: { ...s.settings, seed: e.seed },
        message: replaced.length ? { kind: 'info', text: `unknown in the prompt: ${replaced.join(', ')}` } : s.message,
      };
    }
    case 'prompt':
      return { ...s, run: { ...run, promptTokens: e.tokens.map((t) => ({ text: t.text, prob: t.prob, top: t.top, gates: t.gates })) } };
    case 'token': {
      const tokens = [...run.tokens, { text: e.text, prob: e.prob, top: e.top, gates: e.gates }];
      let gates = s.gates;
      // A plain RNN has only the hidden state: fall back to it when the chosen kind is absent, and go
      // back to the chosen kind (forget by default) on the next model that has it.
      if (run.tokens.length === 0 && e.gates?.[0]) {
        const wanted = gates.wanted ?? 'forget';
        const kind = e.gates[0][wanted] !== undefined ? wanted : 'cell';
        if (kind !== gates.kind) gates = { ...gates, kind };
      }
      return { ...s, gates, run: { ...run, tokens, text: run.text + e.text } };
    }
    case 'end': {
      // A story that ran out of room mid-sentence ends at its last finished sentence: drop the tokens after it.
      const tokens = e.cut ? run.tokens.slice(0, run.tokens.length - e.cut) : run.tokens;
      const text = e.cut ? tokens.map((t) => t.text).join('') : run.text;
      return { ...s, run: { ...run, tokens, text, status: 'done', endReason: e.reason, seed: e.seed } };
    }
    default:
      return s;
  }
}

function adjust(st: Settings, setting: 'temperature' | 'topK' | 'topP' | 'length', dir: 1 | -1): Settings {
  switch (setting) {
    case 'temperature': {
      const t = Math.round((st.temperature + dir * TEMPERATURE_STEP) * 10) / 10;
      return { ...st, temperature: clamp(t, 0, MAX_TEMPERATURE) };
    }
    case 'topK':
      return { ...st, topK: step(TOP_K_STEPS, st.topK, dir) };
    case 'topP':
      return { ...st, topP: step(TOP_P_STEPS, st.topP, dir) };
    case 'length':
      return { ...st, length: step(LENGTH_STEPS, st.length, dir) };
  }
}

/** Moves to the neighbouring step of a ladder; values off the ladder snap to the nearest step that way. */
export function step(ladder: number[], value: number, dir: 1 | -1): number {
  if (dir > 0) return ladder.find((v) => v > value) ?? ladder[ladder.length - 1];
  return [...ladder].reverse().find((v) => v < value) ?? ladder[0];
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** The tokens the gate view shows: the prompt's (once read), then the story's. */
export function gateTokens(run: Run | undefined): TokenRecord[] {
  if (!run) return [];
  return run.promptTokens?.length ? [...run.promptTokens, ...run.tokens] : run.tokens;
}

/** Index (in gateTokens) of the token the gate panel describes: the cursor, or the newest token while following. */
export function selectedToken(s: StoryState): number {
  const n = gateTokens(s.run).length;
  if (n === 0) return -1;
  return s.gates.cursor === null ? n - 1 : Math.min(s.gates.cursor, n - 1);
}
