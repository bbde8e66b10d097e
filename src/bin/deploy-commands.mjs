#!/usr/bin/env node
// Launcher: registers tsx, then registers the bot's slash commands with Discord (the guide's deploy step).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../bot/deploy.ts');
process.exit(await main(process.env));
