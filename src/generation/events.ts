// The events every front end consumes: the CLI, the TUI and the Discord bot are thin views on these.
// Gate vectors are plain number arrays so the events cross worker_threads and JSON unchanged.

import type { LayerTrace } from '../engine/cells/layer.ts';
import type { UnknownPolicy, UnknownReport } from '../text/tokenizer.ts';

// Defined by the layers and the tokenizers that produce them; re-exported for the front ends.
export type { LayerTrace, UnknownPolicy, UnknownReport };
export type StopRule = 'none' | 'sentence' | 'paragraph';

export interface GenerateOptions {
  /** Priming text; the story continues from it. May be empty. */
  prime: string;
  /** Number of tokens to generate (characters for char models, words/punctuation for word models). */
  length: number;
  /** Sampling temperature; 0 means greedy (argmax). */
  temperature: number;
  /** Keep only the k most likely tokens (0 = off). */
  topK: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = off). */
  topP: number;
  /** Seed for seedrandom; when absent a random seed is chosen and reported in the start event. */
  seed?: string;
  /** Stop early at the end of a sentence or paragraph. */
  stop: StopRule;
  /**
   * End like a story: when the length runs out mid-sentence, go on to the end of that sentence (at most a
   * quarter of the length more, and at least 40 tokens); if none comes, end at the last finished sentence
   * instead (the end event says how many tokens were cut) — unless that one ends before STORY_FLOOR of the
   * length: then the story keeps looking for a sentence end up to FINISH_LIMIT times the length. A stop
   * before STORY_FLOOR of the length does not end the story either, so it is never much shorter than asked.
   */
  finish: boolean;
  /**
   * Write this many candidate stories and keep the one the model finds most probable per token (mean log
   * probability at temperature 1). 1 (the default) writes one; candidate 1 is the story of `seed` itself.
   */
  bestOf?: number;
  /** What to do with prompt characters/words the model never saw. */
  unknown: UnknownPolicy;
  /** Include per-layer gate vectors with every token. */
  trace: boolean;
  /** How many top candidates to report per token. */
  topCandidates: number;
  /**
   * Also yield a 'prompt' event after the prompt is read: every prompt token with the probability the model
   * gave it, the top candidates and (with `trace`) its gates, so a front end can show the prompt like the story.
   */
  tracePrompt?: boolean;
}

/**
 * How the story front ends (npm start, the story screen, the bot's /story and /gates) end a story: at the
 * end of its paragraph, or of the sentence in which its length runs out. One object, so that the same
 * seed tells the same story in all of them.
 */
export const STORY_ENDING = { stop: 'paragraph', finish: true } as const satisfies Pick<GenerateOptions, 'stop' | 'finish'>;

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  prime: '',
  length: 400,
  temperature: 0.8,
  topK: 0,
  topP: 1,
  stop: 'none',
  finish: false,
  unknown: 'replace',
  trace: false,
  topCandidates: 5,
  tracePrompt: false,
  bestOf: 1,
};

export interface Candidate {
  id: number;
  text: string;
  prob: number;
}

/** A token as the model met it: in the prompt (see GenerateOptions.tracePrompt) or in the story. */
export interface PromptToken {
  /** Position in the prompt or the story, from 0. */
  index: number;
  id: number;
  /** The token's text (in a story, a word model's token includes the joining space). */
  text: string;
  /** Probability the model gave this token before reading it (temperature 1, unfiltered). */
  prob: number;
  top: Candidate[];
  gates?: LayerTrace[];
}

export type GenerationEvent =
  | { type: 'start'; seed: string; prime: string; primeText: string; unknown: UnknownReport; options: GenerateOptions }
  | { type: 'prompt'; tokens: PromptToken[] }
  | ({
      type: 'token';
      /** With `finish`: the story's text so far ends a finished sentence (a place it may end). */
      sentenceEnd?: boolean;
    } & PromptToken)
  | {
      type: 'end';
      reason: 'length' | 'sentence' | 'paragraph';
      /** The whole continuation, after any cut. */
      text: string;
      tokens: number;
      seed: string;
      /** Tokens already streamed that the story drops: it ends at its last finished sentence instead (`finish`). */
      cut?: number;
      /** With bestOf: mean log probability per token of the kept story, and which candidate it was (1-based). */
      best?: { candidate: number; of: number; meanLogProb: number };
    };

/** With `finish`, a paragraph or sentence stop before this share of the length does not end the story. */
export const STORY_FLOOR = 0.6;
/** With `finish`, a story with no sentence end past the floor may run to this many times its length to find one. */
export const FINISH_LIMIT = 2;

export type GateKind = 'forget' | 'input' | 'output' | 'cell';
