// Every slash command, one module each (the discord.js guide layout). Listed statically rather than read
// from the folder at run time so the type checker sees each module's { data, execute }.
import type { BotCommand } from '../context.ts';
import * as chat from './chat.ts';
import * as demo from './demo.ts';
import * as episode from './episode.ts';
import * as gates from './gates.ts';
import * as model from './model.ts';
import * as story from './story.ts';

export const commands: BotCommand[] = [story, gates, chat, model, demo, episode];
