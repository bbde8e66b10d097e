// /gates: the story coloured by how much the model keeps of its memory at each token (forget gate).
import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../context.ts';
import { STORY_ENDING } from '../../generation/events.ts';
import { addGenerationOptions, OPTION_LIMITS, readStoryRequest } from '../options.ts';
import { tellStory } from '../story-flow.ts';

// Shorter than /story: escape codes take part of the 2,000 characters, so fewer tokens fit the block.
export const GATES_LENGTH_DEFAULT = 200;

export const data = addGenerationOptions(
  new SlashCommandBuilder()
    .setName('gates')
    .setDescription('Tell a story coloured by forget-gate activity, with a heatmap of every unit'),
  GATES_LENGTH_DEFAULT,
).addIntegerOption((o) =>
  o
    .setName('layer')
    .setDescription('Which recurrent layer to show (default: the top one)')
    .setMinValue(OPTION_LIMITS.layer.min)
    .setMaxValue(OPTION_LIMITS.layer.max),
);

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const req = readStoryRequest(interaction.options, { model: ctx.defaultModel, length: GATES_LENGTH_DEFAULT });
  await ctx.models.check(req.model);
  await tellStory(interaction, ctx, {
    model: req.model,
    prompt: req.prompt,
    lead: req.prompt,
    options: { prime: req.prompt, length: req.length, temperature: req.temperature, topK: req.topK, seed: req.seed, ...STORY_ENDING },
    gates: true,
    layer: req.layer,
  });
};
