// /story: write a story from a prompt; buttons under it regenerate, continue or show its gates.
import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../context.ts';
import { addGenerationOptions, BOT_STORY_LENGTH } from '../options.ts';
import { tellRequestedStory } from '../story-flow.ts';

export const data = addGenerationOptions(
  new SlashCommandBuilder().setName('story').setDescription('Tell a story that begins with your prompt'),
  BOT_STORY_LENGTH,
).addBooleanOption((o) =>
  o.setName('show_gates').setDescription('Colour the story by forget-gate activity and attach a heatmap'),
);

export const execute: BotCommand['execute'] = (interaction, ctx) => tellRequestedStory(interaction, ctx, BOT_STORY_LENGTH, (req) => ({ gates: req.showGates }));
