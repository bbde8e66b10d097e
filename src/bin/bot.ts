#!/usr/bin/env node
// npm run bot: the project's own Discord bot (also the entry each shard process runs under --shards).
import { main } from '../bot/main.ts';

const code = await main(process.argv.slice(2));
// Exit explicitly: idle HTTP keep-alive sockets would otherwise hold a stopped bot open for seconds.
process.exit(code);
