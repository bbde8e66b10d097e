#!/usr/bin/env node
// The storyteller command (package.json "bin"; npm start). Built to dist/bin/storyteller.js.
import { main } from '../cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
