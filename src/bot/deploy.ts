// The separate deploy step of the discord.js guide: registers the slash commands with Discord. Model
// choices are filled in here from the installed models, so Discord shows a list instead of free text.
import { ApplicationCommandOptionType, REST, Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { UserError } from '../errors.ts';
import type { ModelSummary, StoryEngine } from '../generation/story-engine.ts';
import { commands } from './commands/index.ts';
import { applicationIdFromToken, readBotConfig } from './config.ts';
import { createRealEngine } from './engine.ts';
import { createLogger } from './log.ts';

/** Discord allows at most 25 choices per option. */
export const MAX_CHOICES = 25;

/** The commands' JSON, with the installed models as choices of every `model` option. */
export function commandPayloads(models: ModelSummary[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const choices = models.slice(0, MAX_CHOICES).map((m) => ({ name: m.name.slice(0, 100), value: m.name.slice(0, 100) }));
  return commands.map((c) => {
    const json = c.data.toJSON();
    return {
      ...json,
      options: json.options?.map((o) =>
        o.name === 'model' && o.type === ApplicationCommandOptionType.String && choices.length ? ({ ...o, choices } as typeof o) : o,
      ),
    };
  });
}

export interface DeployOptions {
  token: string;
  applicationId?: string;
  /** Guild-scoped commands update instantly; global ones can take up to an hour. */
  guildId?: string;
  apiBase?: string;
  models: ModelSummary[];
}

export async function deployCommands(o: DeployOptions): Promise<{ count: number; scope: string }> {
  const applicationId = o.applicationId ?? applicationIdFromToken(o.token);
  const rest = new REST(o.apiBase ? { api: o.apiBase } : {}).setToken(o.token);
  const body = commandPayloads(o.models);
  const route = o.guildId ? Routes.applicationGuildCommands(applicationId, o.guildId) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  return { count: result.length, scope: o.guildId ? `guild ${o.guildId}` : 'global' };
}

export interface DeployDeps {
  createEngine(config: { modelsDir: string; workers?: number }): Promise<StoryEngine>;
  write?(line: string): void;
}

/** `npm run deploy-commands`: returns the exit code. */
export async function main(
  env: Record<string, string | undefined> = process.env,
  deps: DeployDeps = { createEngine: createRealEngine },
): Promise<number> {
  const write = deps.write ?? ((l: string) => console.error(l));
  let token: string | undefined;
  try {
    const config = readBotConfig(env);
    token = config.token;
    const engine = await deps.createEngine({ modelsDir: config.modelsDir, workers: 1 });
    let models: ModelSummary[];
    try {
      models = await engine.listModels();
    } finally {
      await engine.close();
    }
    if (models.length === 0) {
      throw new UserError(`no models in ${config.modelsDir}; train one first (the model option lists them)`);
    }
    const { count, scope } = await deployCommands({ ...config, models });
    write(`deployed ${count} commands (${scope})`);
    return 0;
  } catch (error) {
    const log = createLogger([token, env.DISCORD_TOKEN], write);
    if (error instanceof UserError) log.info(error.message);
    else log.error('deploy failed', error instanceof Error ? error.message : error);
    return 1;
  }
}
