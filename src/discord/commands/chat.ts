// /chat: the storyteller answers by continuing your message in its own (children's-story) voice.
import { SlashCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.ts';
import { STORY_ENDING } from '../../generation/events.ts';
import type { BotCommand } from '../context.ts';
import { BOT_STORY_DEFAULTS } from '../options.ts';
import { cleanPrompt, PROMPT_MAX_LENGTH } from '../sanitize.ts';
import { tellStory } from '../story-flow.ts';

/** Chat replies are the bot's stories (its length, npm start's sampling), ending at a paragraph like a turn in a conversation. */
export const CHAT_GENERATION = { length: BOT_STORY_DEFAULTS.length, temperature: BOT_STORY_DEFAULTS.temperature, topP: BOT_STORY_DEFAULTS.topP, ...STORY_ENDING };

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
