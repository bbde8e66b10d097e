// What every command, button and message handler receives besides the Discord object itself.
import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { StoryEngine } from '../generation/story-engine.ts';
import type { ContentFilter } from './content-filter.ts';
import type { GenerationLimits } from './limits.ts';
import type { Logger } from './log.ts';
import type { ModelCatalog } from './models.ts';
import type { StoryCache } from './story-cache.ts';

export interface BotContext {
  engine: StoryEngine;
  /** The models users may pick, and the engine key (name or path) of each. */
  models: ModelCatalog;
  limits: GenerationLimits;
  stories: StoryCache;
  log: Logger;
  /** Family-friendly filter on prompts and stories (a pass-through when switched off). */
  filter: ContentFilter;
  defaultModel: string;
  /** Folder of the shipped models the demos read. */
  modelsDir: string;
  /** Aborted when the plugin closes, so running stories stop. */
  shutdown: AbortSignal;
}

/** One slash command, as in the discord.js guide: its declaration and its handler. */
export interface BotCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}
