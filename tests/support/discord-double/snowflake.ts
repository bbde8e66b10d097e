// Discord ids: milliseconds since 2015 shifted left by 22 bits, plus an increment. Real-shaped ids
// matter because discord.js derives timestamps and shard numbers from them.
const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** The shard that receives a guild's events (Discord's formula). */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A syntactically real bot token whose first segment encodes the application id. */
export function fakeToken(applicationId: string): string {
  return `${Buffer.from(applicationId).toString('base64url')}.Gd0ub1.${'t0kenHmacLoopbackDouble_x'.padEnd(38, 'q')}`;
}
