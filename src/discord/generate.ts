// Runs one generation for the bot and gathers what the replies need. The engine does the math in worker
// threads; this loop only collects events, so the gateway connection stays responsive.
import { UserError } from '../errors.ts';
import type { GenerateOptions, LayerTrace } from '../generation/events.ts';
import { unitValues } from '../generation/gate-matrix.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import type { GateFocus } from '../render/gate-focus.ts';
import type { ScaleMode } from '../render/gate-scale.ts';
import { censorTokens, type ContentFilter } from './content-filter.ts';

export interface StoryRun {
  model: string;
  /** Priming text as sent to the engine. */
  prime: string;
  /** Generated text only (the prime is not repeated). */
  text: string;
  tokens: string[];
  seed: string;
  options: Pick<GenerateOptions, 'length' | 'temperature' | 'topK' | 'topP' | 'stop' | 'finish'>;
  /** Forget-gate activations of the chosen layer, tokens × units (only when gates were requested). */
  forget?: number[][];
  /** With `tracePrompt` and gates: the prompt's tokens as the model read them, and their forget gates. */
  promptTokens?: string[];
  promptForget?: number[][];
  /** 1-based layer the gates come from, and how many there are. */
  layer?: number;
  layers?: number;
  /** Stopped early because the text outgrew what one message can show. */
  cut: boolean;
  /** What /gates colours the story by (unit or summary) and on which scale; absent: the mean, fitted. */
  view?: GateViewChoice;
}

export interface GateViewChoice {
  focus?: GateFocus;
  scale?: ScaleMode;
}

export interface RunOptions {
  /** Stop once the generated text is longer than this (it could not be shown anyway). */
  maxChars?: number;
  /** Collect forget gates of this 1-based layer (undefined: the top one). */
  gates?: boolean;
  layer?: number;
  signal?: AbortSignal;
  /** Flagged words in the story are censored (same length, so tokens and gates still line up). */
  filter?: ContentFilter;
}

/** `model` is what the footer shows; `engineKey` what the engine loads (a path for a model named by the host). */
export async function runStory(
  engine: StoryEngine,
  model: string,
  options: Partial<GenerateOptions>,
  run: RunOptions = {},
  engineKey = model,
): Promise<StoryRun> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  run.signal?.addEventListener('abort', onAbort, { once: true });
  const tokens: string[] = [];
  const forget: number[][] = [];
  let text = '';
  let seed = options.seed ?? '';
  let cut = false;
  let layer: number | undefined;
  let layers: number | undefined;
  let promptTokens: string[] | undefined;
  let promptForget: number[][] | undefined;
  /** The chosen layer's forget gates of one traced token (the top layer unless one was asked for). */
  const forgetOf = (ev: { text: string; gates?: LayerTrace[] }): number[] => {
    const g = ev.gates ?? [];
    layers = g.length;
    layer = run.layer ?? g.length;
    if (layer > g.length) throw new UserError(`layer must be from 1 to ${g.length} for ${model}`);
    const f = unitValues(ev, layer - 1, 'forget');
    if (!f) throw new UserError(`${model} has no forget gate (plain RNN); use an LSTM or GRU model`);
    return f;
  };
  try {
    for await (const ev of engine.generate(engineKey, { ...options, trace: Boolean(run.gates) }, stop.signal)) {
      if (ev.type === 'start') seed = ev.seed;
      else if (ev.type === 'prompt' && run.gates) {
        promptTokens = ev.tokens.map((t) => t.text);
        promptForget = ev.tokens.map(forgetOf);
      } else if (ev.type === 'end') {
        seed = ev.seed;
        // The story ends at its last finished sentence: drop the tokens after it.
        if (ev.cut) {
          tokens.splice(tokens.length - ev.cut);
          forget.splice(forget.length - ev.cut);
          text = tokens.join('');
        }
      } else if (ev.type === 'token') {
        tokens.push(ev.text);
        text += ev.text;
        if (run.gates) forget.push(forgetOf(ev));
        if (run.maxChars !== undefined && text.length > run.maxChars) {
          cut = true;
          stop.abort();
          break;
        }
      }
    }
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
  if (run.signal?.aborted) throw new UserError('the story was cancelled because the bot is shutting down');
  const shown = run.filter ? censorTokens(run.filter, tokens) : tokens;
  return {
    model,
    prime: options.prime ?? '',
    text: shown === tokens ? text : shown.join(''),
    tokens: shown,
    seed,
    options: {
      length: options.length ?? 0,
      temperature: options.temperature ?? 0,
      topK: options.topK ?? 0,
      topP: options.topP ?? 1,
      stop: options.stop ?? 'none',
      finish: options.finish ?? false,
    },
    forget: run.gates ? forget : undefined,
    promptTokens,
    promptForget,
    layer,
    layers,
    cut,
  };
}

/** Mean activation per token (over units): the colour of that token in the gate view. */
export function meanPerToken(values: number[][]): number[] {
  return values.map((row) => (row.length ? row.reduce((a, b) => a + b, 0) / row.length : 0));
}
