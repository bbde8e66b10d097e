// What every command, button and event handler receives besides the Discord object itself.
import type { ChatInputCommandInteraction, ClientEvents, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { StoryEngine } from '../generation/story-engine.ts';
import type { GenerationLimits } from './limits.ts';
import type { Logger } from './log.ts';
import type { StoryCache } from './story-cache.ts';

export interface BotContext {
  engine: StoryEngine;
  limits: GenerationLimits;
  stories: StoryCache;
  log: Logger;
  defaultModel: string;
  /** Folder of the shipped models the demos read (default: models). */
  modelsDir?: string;
  /** Aborted when the bot shuts down, so running stories stop. */
  shutdown: AbortSignal;
}

/** One slash command, as in the discord.js guide: its declaration and its handler. */
export interface BotCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}

/** One client event handler. */
export interface BotEvent<K extends keyof ClientEvents = keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(ctx: BotContext, ...args: ClientEvents[K]): Promise<void> | void;
}
