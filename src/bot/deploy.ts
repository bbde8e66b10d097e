// The separate deploy step of the discord.js guide: registers the plugin's slash commands with Discord.
// The plugin fills in the installed models as choices, so Discord shows a list instead of free text.
import { REST, Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { listModelFiles } from '../models.ts';
import { createLogger } from '../discord/log.ts';
import { createStorytellerPlugin } from '../discord/plugin.ts';
import { helpText, parseFlags } from '../cli/args.ts';
import { UserError } from '../errors.ts';
import { applicationIdFromToken, readBotConfig } from './config.ts';

export interface DeployOptions {
  token: string;
  applicationId?: string;
  /** Guild-scoped commands update instantly; global ones can take up to an hour. */
  guildId?: string;
  apiBase?: string;
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

export async function deployCommands(o: DeployOptions): Promise<{ count: number; scope: string }> {
  const applicationId = o.applicationId ?? applicationIdFromToken(o.token);
  const rest = new REST(o.apiBase ? { api: o.apiBase } : {}).setToken(o.token);
  const route = o.guildId ? Routes.applicationGuildCommands(applicationId, o.guildId) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body: o.commands })) as unknown[];
  return { count: result.length, scope: o.guildId ? `guild ${o.guildId}` : 'global' };
}

export const USAGE = `${helpText('usage: npm run deploy-commands', {})}\nEnvironment: see .env.example (DISCORD_TOKEN is required; DISCORD_GUILD_ID deploys to one guild at once).`;

/** `npm run deploy-commands`: returns the exit code. Its arguments go through the storyteller command's parser, as the bot's do. */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env, write: (line: string) => void = (l) => console.error(l)): Promise<number> {
  let token: string | undefined;
  try {
    if (parseFlags(argv, {}).help) {
      write(USAGE);
      return 0;
    }
    const config = readBotConfig(env);
    token = config.token;
    if (listModelFiles(config.modelsDir).length === 0) {
      throw new UserError(`no models in ${config.modelsDir}; train one first (the model option lists them)`);
    }
    // Only the command list is needed: the plugin starts no worker until a story is asked for.
    const plugin = createStorytellerPlugin({ modelsDir: config.modelsDir, defaultModel: config.defaultModel });
    try {
      const { count, scope } = await deployCommands({ ...config, commands: plugin.commands });
      write(`deployed ${count} commands (${scope})`);
    } finally {
      await plugin.close();
    }
    return 0;
  } catch (error) {
    const log = createLogger([token, env.DISCORD_TOKEN], write);
    if (error instanceof UserError) log.info(error.message);
    else log.error('deploy failed', error instanceof Error ? error.message : error);
    return 1;
  }
}
