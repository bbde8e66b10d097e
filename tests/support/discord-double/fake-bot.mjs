#!/usr/bin/env node
// The built bot's entry (dist/bot/main.js, as `npm run bot` runs it) with the fake story engine: lets tests
// run the real launcher path (config, sharding, signals) in a child process without model files. Shards
// spawned by --shards run this file too. tsx is registered only for the fake engine, a test source.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
const built = new URL('../../../dist/bot/main.js', import.meta.url);
if (!existsSync(built)) {
  console.error('dist/ is missing: run `npm run build` (npm test does) before the bot tests');
  process.exit(2);
}
register();
const { main } = await import(built.href);
const { FakeStoryEngine } = await import('../fake-story-engine.ts');
const code = await main(process.argv.slice(2), process.env, {
  createEngine: async () => new FakeStoryEngine(),
  shardFile: fileURLToPath(import.meta.url),
  spawnDelayMs: 0,
});
process.exit(code);
