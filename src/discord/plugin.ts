// The storyteller as a plugin for any discord.js bot: the host owns the client (intents, login, sharding)
// and forwards interactions and messages; the plugin answers its own and leaves the rest alone. It never
// creates a client or logs in, and discord.js comes from the host (a peer dependency).
import {
  ApplicationCommandOptionType,
  GatewayIntentBits,
  Partials,
  type Interaction,
  type Message,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { DEFAULT_MODEL, MODELS_DIR } from '../models.ts';
import { UserError } from '../errors.ts';
import type { ModelSummary, StoryEngine } from '../generation/story-engine.ts';
import { createStoryEngine } from '../generation/worker-engine.ts';
import { defaultStoryWorkers } from '../engine/threads.ts';
import { commands as allCommands } from './commands/index.ts';
import { familyFriendlyFilter, noFilter } from './content-filter.ts';
import type { BotCommand, BotContext } from './context.ts';
import { handleInteraction } from './interactions.ts';
import { GenerationLimits } from './limits.ts';
import { createLogger, type Logger } from './log.ts';
import { handleMessage } from './messages.ts';
import { ModelCatalog, type ModelSource } from './models.ts';
import { StoryCache } from './story-cache.ts';

export const PLUGIN_DEFAULTS = {
  /** The package's own models folder. */
  modelsDir: MODELS_DIR,
  defaultModel: DEFAULT_MODEL,
  cooldownSeconds: 10,
  // One story per story worker (one per core): more at once only make each one slower.
  maxConcurrent: defaultStoryWorkers(),
  contentFilter: true,
  storyCacheSize: 500,
} as const;

export interface StorytellerPluginOptions {
  /** Folder of checkpoints (*.safetensors) users can pick by name. Default: the package's models/. */
  modelsDir?: string;
  /** More checkpoints offered by name: paths, file URLs, or loaded models (their file is used). */
  models?: ModelSource[];
  /** The model used when a command names none. Default: tales-char. */
  defaultModel?: string;
  /** Seconds a user waits between two stories (from the start of the last). Default: 10. */
  cooldownSeconds?: number;
  /** Stories written at the same time across all users. Default: one per core, up to 16 (the rule of `workers`). */
  maxConcurrent?: number;
  /** Worker threads doing the model math. Default: one per core, up to 16. Ignored when `engine` is given. */
  workers?: number;
  /** Family-friendly filter on prompts and stories. Default: true. */
  contentFilter?: boolean;
  /**
   * Channel ids where every message is answered, not just mentions. The host must then request the
   * privileged MessageContent intent (enabled in the Developer Portal); see storytellerIntents().
   */
  chatChannels?: Iterable<string>;
  /** A story engine to use instead of the plugin's own worker pool; its owner closes it. */
  engine?: StoryEngine;
  /** Stories remembered for their buttons. Default: 500. */
  storyCacheSize?: number;
  /** Where errors are logged (default: stderr, with anything shaped like a bot token redacted). */
  log?: Logger;
}

export interface StorytellerPlugin {
  /** Slash-command bodies to register (PUT to applications/{id}/commands, or client.application.commands.set). */
  readonly commands: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** Answers the plugin's commands and story buttons; resolves false, untouched, for anything else. Never rejects. */
  handleInteraction(interaction: Interaction): Promise<boolean>;
  /** Answers a message that mentions the bot, a DM, or a message in a chat channel; false otherwise. Never rejects. */
  handleMessage(message: Message): Promise<boolean>;
  /** Loads the default model; rejects with a UserError when it does not load. Optional, but a host that
   *  awaits it before logging in fails at start-up rather than on the first story. */
  ready(): Promise<ModelSummary>;
  /** Stops running stories and, unless the engine was given, the worker pool. */
  close(): Promise<void>;
}

/** Discord allows at most 25 choices per option. */
export const MAX_CHOICES = 25;

/** The commands' JSON, with the given model names as choices of every `model` option. */
export function commandBodies(commands: readonly BotCommand[], modelNames: string[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const choices = modelNames.slice(0, MAX_CHOICES).map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) }));
  return commands.map((c) => {
    const json = c.data.toJSON();
    return {
      ...json,
      options: json.options?.map((o) =>
        o.name === 'model' && o.type === ApplicationCommandOptionType.String && choices.length ? ({ ...o, choices } as typeof o) : o,
      ),
    };
  });
}

/**
 * The gateway intents a host needs: Guilds (commands, buttons), GuildMessages and DirectMessages (mentions
 * and DMs, whose text Discord delivers without a privileged intent), plus the privileged MessageContent
 * when chat channels are used. Use with `partials: storytellerPartials` so DMs reach the bot.
 */
export function storytellerIntents(options: { chatChannels?: Iterable<string> } = {}): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (options.chatChannels && [...options.chatChannels].length) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

/** DM channels are not cached before their first message; without this partial discord.js drops DMs. */
export const storytellerPartials: Partials[] = [Partials.Channel];

function wholeNumber(name: string, v: number | undefined, min: number): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UserError(`${name} must be a whole number >= ${min} (got ${v})`);
  return v;
}

export function createStorytellerPlugin(options: StorytellerPluginOptions = {}): StorytellerPlugin {
  const D = PLUGIN_DEFAULTS;
  const cooldown = options.cooldownSeconds ?? D.cooldownSeconds;
  if (!Number.isFinite(cooldown) || cooldown < 0) throw new UserError(`cooldownSeconds must be a number >= 0 (got ${cooldown})`);
  const maxConcurrent = wholeNumber('maxConcurrent', options.maxConcurrent, 1) ?? D.maxConcurrent;
  const workers = wholeNumber('workers', options.workers, 1);
  const modelsDir = options.modelsDir ?? D.modelsDir;
  const defaultModel = options.defaultModel ?? D.defaultModel;
  const engine = options.engine ?? createStoryEngine({ modelsDir, workers });
  const ownsEngine = !options.engine;
  const shutdown = new AbortController();
  const models = new ModelCatalog(engine, modelsDir, defaultModel, options.models);
  const ctx: BotContext = {
    engine,
    models,
    limits: new GenerationLimits({ cooldownSeconds: cooldown, maxConcurrent }),
    stories: new StoryCache(options.storyCacheSize ?? D.storyCacheSize),
    log: options.log ?? createLogger([]),
    filter: (options.contentFilter ?? D.contentFilter) ? familyFriendlyFilter : noFilter,
    defaultModel,
    modelsDir,
    shutdown: shutdown.signal,
  };
  const byName = new Map(allCommands.map((c) => [c.data.name, c]));
  const chatChannels = new Set(options.chatChannels ?? []);
  let closed = false;

  // Errors are reported to the user inside the handlers; this catches a failure to report them.
  const guard = async (what: string, run: () => Promise<boolean>) => {
    if (closed) return false;
    try {
      return await run();
    } catch (error) {
      ctx.log.error(`${what} failed`, error);
      return true;
    }
  };

  return {
    commands: commandBodies(allCommands, models.names()),
    handleInteraction: (interaction) => guard('interaction', () => handleInteraction(ctx, byName, interaction)),
    handleMessage: (message) => guard('message', () => handleMessage(ctx, chatChannels, message)),
    ready: async () => ({ ...(await engine.loadModel(models.key(defaultModel))), name: defaultModel }),
    async close() {
      if (closed) return;
      closed = true;
      shutdown.abort();
      if (ownsEngine) await engine.close();
    },
  };
}
