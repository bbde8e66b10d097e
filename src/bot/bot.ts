// The project's own bot: a small discord.js host for the storyteller plugin, written the way any bot that
// adds the plugin would be. It owns the client (non-privileged intents unless chat channels are set),
// forwards interactions and messages to the plugin, and logs in.
import { Client, Events, MessageFlags, type Interaction } from 'discord.js';
import type { StorytellerPlugin } from '../discord/plugin.ts';
import { storytellerIntents, storytellerPartials } from '../discord/plugin.ts';
import { createLogger, type Logger } from '../discord/log.ts';

export interface StartBotOptions {
  token: string;
  plugin: StorytellerPlugin;
  /** REST base URL (default Discord's); the gateway URL then comes from GET /gateway/bot. */
  apiBase?: string;
  /** Channels where every message is answered; adds the privileged MessageContent intent. */
  chatChannels?: string[];
  log?: Logger;
}

export interface RunningBot {
  client: Client<true>;
  /** Closes the gateway connection; the plugin stays open (its owner closes it). */
  stop(): Promise<void>;
}

/** Every command of this bot is the plugin's: one it does not know was removed since the last deploy. */
async function answer(plugin: StorytellerPlugin, interaction: Interaction, log: Logger) {
  if ((await plugin.handleInteraction(interaction)) || !interaction.isChatInputCommand()) return;
  await interaction
    .reply({
      content: `I no longer know /${interaction.commandName}; the commands need redeploying (npm run deploy-commands).`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    })
    .catch((error: unknown) => log.error('could not answer an unknown command', error));
}

/** Logs in and resolves once the client is ready. */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const log = options.log ?? createLogger([options.token]);
  const { plugin } = options;
  const client = new Client({
    intents: storytellerIntents({ chatChannels: options.chatChannels }),
    partials: storytellerPartials,
    // Nothing the bot sends may ping anyone (the plugin also sets this on every message).
    allowedMentions: { parse: [], repliedUser: false },
    rest: options.apiBase ? { api: options.apiBase } : {},
  });
  client.on(Events.InteractionCreate, (interaction) => void answer(plugin, interaction, log));
  client.on(Events.MessageCreate, (message) => void plugin.handleMessage(message));
  client.on(Events.Error, (error) => log.error('client error', error));
  client.once(Events.ClientReady, (c) => {
    const shard = c.shard ? ` (shards ${c.shard.ids.join(', ')} of ${c.shard.count})` : '';
    log.info(`ready as ${c.user.tag} in ${c.guilds.cache.size} guild(s)${shard}`);
  });

  const isReady = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
    await isReady;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return {
    client: client as Client<true>,
    async stop() {
      await client.destroy();
    },
  };
}
