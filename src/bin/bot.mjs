#!/usr/bin/env node
// Launcher: registers tsx so the TypeScript sources run directly, then starts the Discord bot
// (also the entry each shard process runs under --shards).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../bot/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: idle HTTP keep-alive sockets would otherwise hold a stopped bot open for seconds.
process.exit(code);
