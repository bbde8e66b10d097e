// Routes the plugin's slash commands to their modules and its story buttons to their handler; any failure
// becomes an ephemeral note to the user. Interactions that belong to the host are left alone.
import type { Interaction } from 'discord.js';
import * as storyButtons from './components/story-buttons.ts';
import type { BotCommand, BotContext } from './context.ts';
import { reportError } from './story-flow.ts';

/** Answers the interaction if it is one of ours; resolves false (untouched) otherwise. */
export async function handleInteraction(ctx: BotContext, commands: ReadonlyMap<string, BotCommand>, interaction: Interaction): Promise<boolean> {
  if (interaction.isChatInputCommand()) {
    const command = commands.get(interaction.commandName);
    if (!command) return false;
    try {
      await command.execute(interaction, ctx);
    } catch (error) {
      await reportError(interaction, ctx, error);
    }
    return true;
  }
  if (interaction.isButton() && interaction.customId.startsWith(storyButtons.PREFIX)) {
    try {
      await storyButtons.execute(interaction, ctx);
    } catch (error) {
      await reportError(interaction, ctx, error);
    }
    return true;
  }
  return false;
}
