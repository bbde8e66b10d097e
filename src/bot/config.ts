// The host bot's settings come from the environment (documented in .env.example); every value is
// checked here once so the rest of the bot can trust it. Defaults are the plugin's.
import { UserError } from '../errors.ts';
import { PLUGIN_DEFAULTS } from '../discord/plugin.ts';

export interface BotConfig {
  token: string;
  /** Needed by the deploy step; derived from the token when not given. */
  applicationId?: string;
  /** Deploy to one guild (instant) instead of globally. */
  guildId?: string;
  /** REST base URL, e.g. http://127.0.0.1:PORT/api (tests, proxies). */
  apiBase?: string;
  modelsDir: string;
  defaultModel: string;
  cooldownSeconds: number;
  maxConcurrent: number;
  /** Worker threads for the engine; undefined lets the engine decide. */
  workers?: number;
  /** Family-friendly filter on prompts and stories. */
  contentFilter: boolean;
  /** Channels where every message is answered (needs the privileged MessageContent intent). */
  chatChannels: string[];
}

type Env = Record<string, string | undefined>;

function wholeNumber(env: Env, name: string, fallback: number, min: number): number;
function wholeNumber(env: Env, name: string, fallback: undefined, min: number): number | undefined;
function wholeNumber(env: Env, name: string, fallback: number | undefined, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new UserError(`${name} must be a whole number >= ${min} (got '${raw}')`);
  return v;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new UserError(`${name} must be 1 or 0 (got '${env[name]}')`);
}

function channelIds(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.find((id) => !/^\d{15,21}$/.test(id));
  if (bad !== undefined) throw new UserError(`${name} must be channel ids separated by commas (got '${bad}')`);
  return ids;
}

/** Reads the bot's environment; throws UserError naming the variable at fault. */
export function readBotConfig(env: Env): BotConfig {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) throw new UserError('DISCORD_TOKEN is not set; put the bot token in the environment or in .env (see .env.example)');
  const D = PLUGIN_DEFAULTS;
  return {
    token,
    applicationId: env.DISCORD_APPLICATION_ID?.trim() || undefined,
    guildId: env.DISCORD_GUILD_ID?.trim() || undefined,
    apiBase: env.DISCORD_API_BASE?.trim() || undefined,
    modelsDir: env.STORYTELLER_MODELS_DIR?.trim() || D.modelsDir,
    defaultModel: env.STORYTELLER_DEFAULT_MODEL?.trim() || D.defaultModel,
    cooldownSeconds: wholeNumber(env, 'BOT_COOLDOWN_SECONDS', D.cooldownSeconds, 0),
    maxConcurrent: wholeNumber(env, 'BOT_MAX_CONCURRENT', D.maxConcurrent, 1),
    workers: wholeNumber(env, 'BOT_WORKERS', undefined, 1),
    contentFilter: onOff(env, 'BOT_CONTENT_FILTER', D.contentFilter),
    chatChannels: channelIds(env, 'BOT_CHAT_CHANNELS'),
  };
}

/** A bot token's first segment is the base64 of the bot's user id, which equals its application id. */
export function applicationIdFromToken(token: string): string {
  const id = Buffer.from(token.split('.')[0] ?? '', 'base64').toString('utf8');
  if (!/^\d{15,21}$/.test(id)) {
    throw new UserError('cannot read the application id from DISCORD_TOKEN; set DISCORD_APPLICATION_ID');
  }
  return id;
}
