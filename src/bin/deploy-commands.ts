#!/usr/bin/env node
// npm run deploy-commands: registers the bot's slash commands with Discord (the guide's deploy step).
import { main } from '../bot/deploy.ts';

process.exit(await main(process.argv.slice(2), process.env));
