// /story: write a story from a prompt; buttons under it regenerate, continue or show its gates.
import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../context.ts';
import { addGenerationOptions, BOT_STORY_LENGTH, readStoryRequest, storyOptions } from '../options.ts';
import { tellStory } from '../story-flow.ts';

export const data = addGenerationOptions(
  new SlashCommandBuilder().setName('story').setDescription('Tell a story that begins with your prompt'),
  BOT_STORY_LENGTH,
).addBooleanOption((o) =>
  o.setName('show_gates').setDescription('Colour the story by forget-gate activity and attach a heatmap'),
);

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const req = readStoryRequest(interaction.options, { model: ctx.defaultModel, length: BOT_STORY_LENGTH });
  await ctx.models.check(req.model);
  await tellStory(interaction, ctx, {
    model: req.model,
    prompt: req.prompt,
    lead: req.prompt,
    options: storyOptions(req),
    gates: req.showGates,
  });
};
