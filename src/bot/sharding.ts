// `--shards auto|N`: a discord.js ShardingManager spawns the same entry once per shard (each a process
// with its own engine). discord.js's own 'auto' asks discord.com directly, so the count is fetched here
// through REST to honour DISCORD_API_BASE.
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { UserError } from '../errors.ts';
import type { Logger } from '../discord/log.ts';

export interface ShardOptions {
  file: string;
  token: string;
  shards: 'auto' | number;
  apiBase?: string;
  /** Pause between spawning shards; Discord allows one identify per 5 s per bucket. */
  spawnDelayMs?: number;
  log: Logger;
}

export function parseShardsArg(value: string | undefined): 'auto' | number {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--shards must be 'auto' or a whole number >= 1 (got '${value ?? ''}')`);
  return n;
}

export async function recommendedShards(token: string, apiBase?: string): Promise<number> {
  const rest = new REST(apiBase ? { api: apiBase } : {}).setToken(token);
  const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, info.shards);
}

export async function startShards(o: ShardOptions): Promise<ShardingManager> {
  const totalShards = o.shards === 'auto' ? await recommendedShards(o.token, o.apiBase) : o.shards;
  const manager = new ShardingManager(o.file, { token: o.token, totalShards, mode: 'process', respawn: true });
  manager.on('shardCreate', (shard) => o.log.info(`shard ${shard.id + 1} of ${totalShards} starting`));
  await manager.spawn({ amount: totalShards, delay: o.spawnDelayMs ?? 5500, timeout: 120_000 });
  return manager;
}

/** Stops every shard process (they shut down gracefully on SIGTERM). */
export async function stopShards(manager: ShardingManager): Promise<void> {
  const exits = [...manager.shards.values()].map(
    (shard) =>
      new Promise<void>((resolve) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        manager.respawn = false;
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
}
