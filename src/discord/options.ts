// Slash-command options for generation. Discord enforces the ranges declared here, and we check them again:
// the declaration can be stale (commands deployed by an older version) and button replays bypass Discord.
import type { SlashCommandBuilder, SlashCommandOptionsOnlyBuilder } from 'discord.js';
import { UserError } from '../errors.ts';
import { STORY_ENDING, type GenerateOptions } from '../generation/events.ts';
import { STORY_DEFAULTS } from '../generation/story-defaults.ts';
import { cleanPrompt, PROMPT_MAX_LENGTH, type MentionNames } from './sanitize.ts';

export const OPTION_LIMITS = {
  length: { min: 1, max: 1000 },
  temperature: { min: 0, max: 2 },
  topK: { min: 0, max: 1000 },
  topP: { min: 0.01, max: 1 },
  layer: { min: 1, max: 16 },
  seedMaxLength: 32,
} as const;

// A story's length as the terminal tells it (600) does not fit one message: a word model's 600 tokens run past
// Discord's 2,000 characters, so the bot writes half of it. Temperature and top-p are npm start's.
export const BOT_STORY_LENGTH = 300;

export const BOT_STORY_DEFAULTS = { length: BOT_STORY_LENGTH, temperature: STORY_DEFAULTS.temperature, topP: STORY_DEFAULTS.topP, topK: 0 } as const;

/** The part of CommandInteractionOptionResolver we read; tests pass a plain object. */
export interface OptionReader {
  getString(name: string, required?: boolean): string | null;
  getInteger(name: string): number | null;
  getNumber(name: string): number | null;
  getBoolean(name: string): boolean | null;
}

export interface StoryRequest {
  prompt: string;
  model: string;
  length: number;
  temperature: number;
  topK: number;
  topP: number;
  /** Absent: the engine picks one and reports it. */
  seed?: string;
  showGates: boolean;
  /** 1-based recurrent layer for the gate view; absent means the top layer. */
  layer?: number;
}

function checkRange(name: string, v: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UserError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${v})`);
  }
  return v;
}

/** Reads and validates the generation options of /story and /gates. */
/** The generator options of a request, ending as every story front end ends a story. */
export function storyOptions(req: StoryRequest): Partial<GenerateOptions> & { prime: string } {
  return { prime: req.prompt, length: req.length, temperature: req.temperature, topK: req.topK, topP: req.topP, seed: req.seed, ...STORY_ENDING };
}

export function readStoryRequest(
  options: OptionReader,
  defaults: { model: string; length?: number },
  names: MentionNames = {},
): StoryRequest {
  const L = OPTION_LIMITS;
  const raw = options.getString('prompt') ?? '';
  const seed = options.getString('seed')?.trim() || undefined;
  if (seed !== undefined && (seed.length > L.seedMaxLength || /[\u0000-\u001f]/.test(seed))) {
    throw new UserError(`seed must be up to ${L.seedMaxLength} printable characters`);
  }
  const layer = options.getInteger('layer');
  return {
    prompt: cleanPrompt(raw, names),
    model: options.getString('model')?.trim() || defaults.model,
    length: checkRange('length', options.getInteger('length') ?? defaults.length ?? BOT_STORY_DEFAULTS.length, L.length.min, L.length.max, true),
    temperature: checkRange('temperature', options.getNumber('temperature') ?? BOT_STORY_DEFAULTS.temperature, L.temperature.min, L.temperature.max, false),
    topK: checkRange('top_k', options.getInteger('top_k') ?? BOT_STORY_DEFAULTS.topK, L.topK.min, L.topK.max, true),
    topP: checkRange('top_p', options.getNumber('top_p') ?? BOT_STORY_DEFAULTS.topP, L.topP.min, L.topP.max, false),
    seed,
    showGates: options.getBoolean('show_gates') ?? false,
    layer: layer === null ? undefined : checkRange('layer', layer, L.layer.min, L.layer.max, true),
  };
}

/** Declares the shared generation options; Discord enforces these ranges client-side. */
export function addGenerationOptions(builder: SlashCommandBuilder, lengthDefault: number): SlashCommandOptionsOnlyBuilder {
  const L = OPTION_LIMITS;
  return builder
    .addStringOption((o) =>
      o.setName('prompt').setDescription('How the story begins').setRequired(true).setMaxLength(PROMPT_MAX_LENGTH),
    )
    .addIntegerOption((o) =>
      o
        .setName('length')
        .setDescription(`Tokens to write (default ${lengthDefault})`)
        .setMinValue(L.length.min)
        .setMaxValue(L.length.max),
    )
    .addNumberOption((o) =>
      o
        .setName('temperature')
        .setDescription(`Randomness: 0 always picks the likeliest token (default ${BOT_STORY_DEFAULTS.temperature})`)
        .setMinValue(L.temperature.min)
        .setMaxValue(L.temperature.max),
    )
    .addIntegerOption((o) =>
      o
        .setName('top_k')
        .setDescription('Sample only from the k likeliest tokens (0 = all)')
        .setMinValue(L.topK.min)
        .setMaxValue(L.topK.max),
    )
    .addNumberOption((o) =>
      o
        .setName('top_p')
        .setDescription(`Sample among the likeliest tokens covering this share (1 = off, default ${BOT_STORY_DEFAULTS.topP})`)
        .setMinValue(L.topP.min)
        .setMaxValue(L.topP.max),
    )
    .addStringOption((o) =>
      o.setName('seed').setDescription('Random seed, to reproduce a story').setMaxLength(L.seedMaxLength),
    )
    .addStringOption((o) => o.setName('model').setDescription('Which storyteller (choices are filled in at deploy time)'));
}
