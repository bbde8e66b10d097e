// `npm run bot [-- --shards auto|N]`: one client, or a ShardingManager that spawns this same entry once
// per shard. Runs until SIGINT/SIGTERM, then closes the gateway connection and the engine.
import { fileURLToPath } from 'node:url';
import { createLogger, redact } from '../discord/log.ts';
import { createStorytellerPlugin } from '../discord/plugin.ts';
import { helpText, parseFlags, type Flags } from '../cli/args.ts';
import { UserError } from '../errors.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import { createStoryEngine } from '../generation/worker-engine.ts';
import { moduleUrl } from '../worker-url.ts';
import { startBot } from './bot.ts';
import { readBotConfig, type BotConfig } from './config.ts';
import { parseShardsArg, startShards, stopShards } from './sharding.ts';

// Parsed by the storyteller command's parser (cli/args.ts imports nothing but errors.ts): the same
// flags, values and wording ("unknown flag --x (see --help)") in both front ends.
const FLAGS: Flags = {
  shards: { type: 'string', help: "run a ShardingManager with this many shard processes, or 'auto' for Discord's recommended count (default: one process, no sharding)" },
};

export const USAGE = `${helpText('usage: npm run bot [-- --shards auto|N]', FLAGS)}\nEnvironment: see .env.example (DISCORD_TOKEN is required).`;

export interface MainDeps {
  createEngine(config: BotConfig): Promise<StoryEngine>;
  /** The launcher each shard process runs (default: the bot launcher, dist/bin/bot.js when built). */
  shardFile: string;
  spawnDelayMs?: number;
  write(line: string): void;
  /** Watches for the request to stop (default: SIGINT, SIGTERM, or the shard manager going away). */
  untilStopped(): StopWatch;
}

export interface StopWatch {
  /** Resolves with the reason when the bot should stop. */
  stopped: Promise<string>;
  /** Removes the signal handlers (on a failed start-up, so Ctrl+C works normally again). */
  dispose(): void;
}

/** Stops on SIGINT, SIGTERM, or (in a shard process) the manager going away. */
export function untilSignal(): StopWatch {
  let dispose = () => {};
  const stopped = new Promise<string>((resolve) => {
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    const onDisconnect = () => done('shard manager gone');
    // Signal listeners alone do not keep Node running; a server waiting to be stopped should.
    const alive = setInterval(() => {}, 1 << 30);
    dispose = () => {
      clearInterval(alive);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('disconnect', onDisconnect);
    };
    const done = (why: string) => {
      dispose();
      resolve(why);
    };
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    // A shard process whose manager died must not linger with an open gateway session.
    if (process.send) process.once('disconnect', onDisconnect);
  });
  return { stopped, dispose };
}

const DEFAULT_DEPS: MainDeps = {
  createEngine: async (c) => createStoryEngine({ modelsDir: c.modelsDir, workers: c.workers }),
  shardFile: fileURLToPath(moduleUrl('../bin/bot.ts', import.meta.url)),
  write: (line) => console.error(line),
  untilStopped: untilSignal,
};

/** One line a person can act on, for failures at start-up. */
export function startupMessage(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const e = error as { code?: string | number; message?: string };
  if (e?.code === 'TokenInvalid') return 'Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal';
  if (e?.code === 'DisallowedIntents' || e?.code === 4014 || e?.message === 'Used disallowed intents') {
    return 'BOT_CHAT_CHANNELS needs the Message Content intent; enable it in the Developer Portal (Bot, Privileged Gateway Intents)';
  }
  if (e?.code === 'ShardingReadyDied' || e?.code === 'ShardingReadyDisconnected') {
    return 'a shard process stopped during start-up; its error is printed above';
  }
  return `the bot could not start: ${(e?.message ?? String(error)).split('\n')[0]}`;
}

export async function main(argv: string[], env: Record<string, string | undefined> = process.env, deps: Partial<MainDeps> = {}): Promise<number> {
  const d: MainDeps = { ...DEFAULT_DEPS, ...deps };
  const secrets = [env.DISCORD_TOKEN?.trim()];
  const say = (line: string) => d.write(redact(line, secrets));
  let stop: StopWatch | undefined;
  try {
    const args = parseFlags(argv, FLAGS);
    if (args.help) {
      say(USAGE);
      return 0;
    }
    const shards = args.shards === undefined ? undefined : parseShardsArg(args.shards as string);
    const config = readBotConfig(env);
    const log = createLogger([config.token], d.write);
    // Watch for signals from the start: a stop requested during start-up is honoured once it is done.
    stop = d.untilStopped();

    if (shards !== undefined) {
      const manager = await startShards({
        file: d.shardFile,
        token: config.token,
        shards,
        apiBase: config.apiBase,
        spawnDelayMs: d.spawnDelayMs,
        log,
      });
      log.info(`${manager.totalShards} shard(s) running`);
      log.info(`stopping (${await stop.stopped})`);
      await stopShards(manager);
      return 0;
    }

    const engine = await d.createEngine(config);
    const plugin = createStorytellerPlugin({ ...config, engine, log });
    let bot;
    try {
      // A default model that does not load stops start-up before connecting.
      await plugin.ready();
      bot = await startBot({ token: config.token, plugin, apiBase: config.apiBase, chatChannels: config.chatChannels, log });
    } catch (error) {
      await plugin.close();
      await engine.close();
      throw error;
    }
    const why = await stop.stopped;
    log.info(`stopping (${why})`);
    await plugin.close();
    await bot.stop();
    await engine.close();
    return 0;
  } catch (error) {
    stop?.dispose();
    say(startupMessage(error));
    return 1;
  }
}
