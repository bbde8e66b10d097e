// Routes slash commands to their modules and story buttons to their handler; any failure becomes an
// ephemeral note to the user.
import { Events, MessageFlags } from 'discord.js';
import { commands } from '../commands/index.ts';
import * as storyButtons from '../components/story-buttons.ts';
import type { BotEvent } from '../context.ts';
import { NO_MENTIONS, reportError } from '../story-flow.ts';

const byName = new Map(commands.map((c) => [c.data.name, c]));

export const event: BotEvent<Events.InteractionCreate> = {
  name: Events.InteractionCreate,
  async execute(ctx, interaction) {
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      try {
        if (!command) {
          await interaction.reply({
            content: `I no longer know /${interaction.commandName}; the commands need redeploying.`,
            flags: MessageFlags.Ephemeral,
            allowedMentions: NO_MENTIONS,
          });
          return;
        }
        await command.execute(interaction, ctx);
      } catch (error) {
        await reportError(interaction, ctx, error);
      }
    } else if (interaction.isButton() && interaction.customId.startsWith(storyButtons.PREFIX)) {
      try {
        await storyButtons.execute(interaction, ctx);
      } catch (error) {
        await reportError(interaction, ctx, error);
      }
    }
  },
};
