// /model: which storytellers are installed and how well each one learned (its model card figures).
import { SlashCommandBuilder } from 'discord.js';
import { compactNumber } from '../../format.ts';
import type { ModelSummary } from '../../generation/story-engine.ts';
import { DISCORD_MESSAGE_LIMIT } from '../ansi-gates.ts';
import type { BotCommand } from '../context.ts';
import { displayText } from '../sanitize.ts';
import { NO_MENTIONS } from '../story-flow.ts';

export const data = new SlashCommandBuilder().setName('model').setDescription('List the storytellers and their training figures');

/** One line per model: shape, size and the validation figure for its level. */
export function modelLine(m: ModelSummary, isDefault: boolean): string {
  const figures = [`${m.level}-level ${m.cell.toUpperCase()}`, `${m.layers}×${m.hiddenSize}`, `${compactNumber(m.params)} params`];
  if (m.valBpc !== undefined) figures.push(`val ${m.valBpc.toFixed(3)} bpc`);
  if (m.valPerplexity !== undefined) figures.push(`val perplexity ${m.valPerplexity.toFixed(1)}`);
  if (m.steps !== undefined) figures.push(`${m.steps.toLocaleString('en-US')} steps`);
  return `- **${displayText(m.name)}**${isDefault ? ' (default)' : ''}: ${figures.join(' · ')}`;
}

export function modelListContent(models: ModelSummary[], defaultModel: string): string {
  if (models.length === 0) return 'No models are installed; train one with `storyteller train` first.';
  const lines = ['**Storytellers**'];
  for (const m of models) {
    const line = modelLine(m, m.name === defaultModel);
    if ([...lines, line].join('\n').length > DISCORD_MESSAGE_LIMIT - 20) {
      lines.push(`…and ${models.length - lines.length + 1} more`);
      break;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const models = await ctx.models.list();
  await interaction.reply({ content: modelListContent(models, ctx.defaultModel), allowedMentions: NO_MENTIONS });
};

