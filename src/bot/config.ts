// Bot settings come from the environment (documented in .env.example); every value is checked here once
// so the rest of the bot can trust it.
import { UserError } from '../errors.ts';

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
  /** Answer mentions in chat (needs the privileged MessageContent intent). */
  chat: boolean;
}

export const BOT_DEFAULTS = {
  modelsDir: 'models',
  defaultModel: 'tales-char',
  cooldownSeconds: 10,
  // Two cores on the reference machine: more parallel stories only make each one slower.
  maxConcurrent: 2,
} as const;

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

/** Reads the bot's environment; throws UserError naming the variable at fault. */
export function readBotConfig(env: Env): BotConfig {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) throw new UserError('DISCORD_TOKEN is not set; put the bot token in the environment or in .env (see .env.example)');
  return {
    token,
    applicationId: env.DISCORD_APPLICATION_ID?.trim() || undefined,
    guildId: env.DISCORD_GUILD_ID?.trim() || undefined,
    apiBase: env.DISCORD_API_BASE?.trim() || undefined,
    modelsDir: env.STORYTELLER_MODELS_DIR?.trim() || BOT_DEFAULTS.modelsDir,
    defaultModel: env.STORYTELLER_DEFAULT_MODEL?.trim() || BOT_DEFAULTS.defaultModel,
    cooldownSeconds: wholeNumber(env, 'BOT_COOLDOWN_SECONDS', BOT_DEFAULTS.cooldownSeconds, 0),
    maxConcurrent: wholeNumber(env, 'BOT_MAX_CONCURRENT', BOT_DEFAULTS.maxConcurrent, 1),
    workers: wholeNumber(env, 'BOT_WORKERS', undefined, 1),
    chat: env.BOT_CHAT === '1' || env.BOT_CHAT?.toLowerCase() === 'true',
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
