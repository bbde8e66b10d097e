// /chat: the storyteller answers by continuing your message in its own (children's-story) voice.
import { SlashCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.ts';
import { STORY_ENDING } from '../../generation/events.ts';
import type { BotCommand } from '../context.ts';
import { cleanPrompt, PROMPT_MAX_LENGTH } from '../sanitize.ts';
import { tellStory } from '../story-flow.ts';

/** Chat replies are short and end at a paragraph, like a turn in a conversation. */
export const CHAT_GENERATION = { length: 300, ...STORY_ENDING };

export const data = new SlashCommandBuilder()
  .setName('chat')
  .setDescription('Say something; the storyteller carries on from it')
  .addStringOption((o) =>
    o.setName('message').setDescription('What you say').setRequired(true).setMaxLength(PROMPT_MAX_LENGTH),
  )
  .addStringOption((o) => o.setName('model').setDescription('Which storyteller (choices are filled in at deploy time)'));

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const message = cleanPrompt(interaction.options.getString('message') ?? '');
  if (!message) throw new UserError('say something: the message is empty once cleaned');
  const model = interaction.options.getString('model')?.trim() || ctx.defaultModel;
  await ctx.models.check(model);
  await tellStory(interaction, ctx, {
    model,
    prompt: message,
    lead: message,
    options: { prime: message, ...CHAT_GENERATION },
    gates: false,
  });
};
