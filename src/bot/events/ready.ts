// Logs once the gateway session is ready (discord.js 14.28 names this clientReady).
import { Events } from 'discord.js';
import type { BotEvent } from '../context.ts';

export const event: BotEvent<Events.ClientReady> = {
  name: Events.ClientReady,
  once: true,
  execute(ctx, client) {
    const shard = client.shard ? ` (shards ${client.shard.ids.join(', ')} of ${client.shard.count})` : '';
    ctx.log.info(`ready as ${client.user.tag} in ${client.guilds.cache.size} guild(s)${shard}`);
  },
};
