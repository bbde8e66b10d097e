// Builds the discord.js client around an injected story engine and logs it in. The engine is a parameter
// so tests run the real client against a loopback Discord with a fake engine.
import { Client, GatewayIntentBits, type ClientEvents } from 'discord.js';
import type { StoryEngine } from '../generation/story-engine.ts';
import { BOT_DEFAULTS } from './config.ts';
import type { BotContext, BotEvent } from './context.ts';
import { event as interactionCreate } from './events/interaction-create.ts';
import { event as messageCreate } from './events/message-create.ts';
import { event as ready } from './events/ready.ts';
import { GenerationLimits } from './limits.ts';
import { createLogger, type Logger } from './log.ts';
import { StoryCache } from './story-cache.ts';

export interface StartBotOptions {
  token: string;
  engine: StoryEngine;
  /** REST base URL (default Discord's); the gateway URL then comes from GET /gateway/bot. */
  apiBase?: string;
  defaultModel?: string;
  /** Where /demo finds the shipped demo models (default: models). */
  modelsDir?: string;
  cooldownSeconds?: number;
  maxConcurrent?: number;
  /** Answer mentions (needs the GuildMessages and privileged MessageContent intents). */
  chat?: boolean;
  storyCacheSize?: number;
  log?: Logger;
}

export interface RunningBot {
  client: Client<true>;
  context: BotContext;
  /** Aborts running stories and closes the gateway connection; the engine stays open (its owner closes it). */
  stop(): Promise<void>;
}

export function botIntents(chat: boolean): GatewayIntentBits[] {
  // Slash commands and buttons need only Guilds; reading mentions needs message content.
  return chat
    ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]
    : [GatewayIntentBits.Guilds];
}

/**
 * Checks that the default model loads (a UserError otherwise), logs in and resolves once the client is ready.
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const log = options.log ?? createLogger([options.token]);
  const defaultModel = options.defaultModel ?? BOT_DEFAULTS.defaultModel;
  await options.engine.loadModel(defaultModel);

  const shutdown = new AbortController();
  const context: BotContext = {
    engine: options.engine,
    limits: new GenerationLimits({
      cooldownSeconds: options.cooldownSeconds ?? BOT_DEFAULTS.cooldownSeconds,
      maxConcurrent: options.maxConcurrent ?? BOT_DEFAULTS.maxConcurrent,
    }),
    stories: new StoryCache(options.storyCacheSize),
    log,
    defaultModel,
    modelsDir: options.modelsDir ?? BOT_DEFAULTS.modelsDir,
    shutdown: shutdown.signal,
  };

  const client = new Client({
    intents: botIntents(options.chat ?? false),
    allowedMentions: { parse: [], repliedUser: false },
    rest: options.apiBase ? { api: options.apiBase } : {},
  });
  const events: BotEvent[] = [ready, interactionCreate, ...(options.chat ? [messageCreate] : [])] as BotEvent[];
  for (const e of events) {
    const handler = (...args: ClientEvents[keyof ClientEvents]) => {
      Promise.resolve(e.execute(context, ...args)).catch((error: unknown) => log.error(`${e.name} handler failed`, error));
    };
    if (e.once) client.once(e.name, handler);
    else client.on(e.name, handler);
  }
  client.on('error', (error) => log.error('client error', error));

  const isReady = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  try {
    await client.login(options.token);
    await isReady;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return {
    client: client as Client<true>,
    context,
    async stop() {
      shutdown.abort();
      await client.destroy();
    },
  };
}
