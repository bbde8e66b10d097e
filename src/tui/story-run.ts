// One story on the story screen: starting it from the prompt (or continuing the last one) with the current
// settings, and folding the generation engine's events into it as they stream.
import type { Candidate, GenerateOptions, GenerationEvent, LayerTrace } from '../generation/events.ts';
import { STORY_ENDING } from '../generation/events.ts';
import type { StoryState } from './story-state.ts';

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

export function startRun(s: StoryState, cont: boolean): StoryState {
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

export function applyEvent(s: StoryState, run: Run, e: GenerationEvent): StoryState {
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

/** The tokens the gate view shows: the prompt's (once read), then the story's. */
export function gateTokens(run: Run | undefined): TokenRecord[] {
  if (!run) return [];
  return run.promptTokens?.length ? [...run.promptTokens, ...run.tokens] : run.tokens;
}
