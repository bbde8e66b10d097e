#!/usr/bin/env node
// The bot's entry with the fake story engine: lets tests run the real launcher path (config, sharding,
// signals) in a child process without model files. Shards spawned by --shards run this file too.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../../../src/bot/main.ts');
const { FakeStoryEngine } = await import('../fake-story-engine.ts');
const code = await main(process.argv.slice(2), process.env, {
  createEngine: async () => new FakeStoryEngine(),
  shardFile: fileURLToPath(import.meta.url),
  spawnDelayMs: 0,
});
process.exit(code);
