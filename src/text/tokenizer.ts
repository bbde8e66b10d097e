// Tokenizers turn text into vocabulary ids and back; they travel inside the checkpoint as JSON.
import type { TokenLevel } from '../engine/config.ts';

/** What to do with prompt characters or words the vocabulary lacks. */
export type UnknownPolicy = 'error' | 'skip' | 'replace';

/** What happened to prompt tokens the vocabulary lacks. */
export interface UnknownReport {
  /** Distinct unknown characters or words, in order of first appearance. */
  unknown: string[];
  /** How each was handled: replaced by a known form, skipped, or mapped to <unk>. */
  actions: Array<{ from: string; to: string | null }>;
}

export interface Encoded {
  ids: number[];
  /** The text as the model sees it after the unknown-token policy was applied. */
  text: string;
  report: UnknownReport;
}

/** Turns a stream of generated tokens back into prose, one piece per token. */
export interface Detokenizer {
  push(token: string): string;
}

export interface SerializedTokenizer {
  level: TokenLevel;
  vocab: string[];
  unwrap: boolean;
}

export interface Tokenizer {
  readonly level: TokenLevel;
  readonly vocab: readonly string[];
  /** Whether training text had hard-wrapped lines joined (prompts get the same treatment). */
  readonly unwrap: boolean;
  idOf(token: string): number | undefined;
  /** Encodes training text; every token must be known (<unk> where the vocabulary has one). */
  encodeCorpus(text: string): Int32Array;
  /** Encodes a prompt under an unknown-token policy; throws UserError for 'error' when something is unknown. */
  encodePrompt(text: string, policy: UnknownPolicy): Encoded;
  detokenizer(): Detokenizer;
  toJSON(): SerializedTokenizer;
}

export function formatUnknown(unknown: string[]): string {
  const shown = unknown.slice(0, 10).map((u) => JSON.stringify(u));
  return shown.join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '');
}
