// /gates: the story coloured by how much the model keeps of its memory at each token (forget gate).
import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../context.ts';
import { UserError } from '../../errors.ts';
import { SUMMARY_KINDS, type SummaryKind } from '../../render/gate-focus.ts';
import { SCALE_MODE_TEXT, SCALE_MODES, type ScaleMode } from '../../render/gate-scale.ts';
import type { GateViewChoice } from '../generate.ts';
import { addGenerationOptions, OPTION_LIMITS, type OptionReader } from '../options.ts';
import { tellRequestedStory } from '../story-flow.ts';

// Shorter than /story: escape codes take part of the 2,000 characters, so fewer tokens fit the block.
export const GATES_LENGTH_DEFAULT = 200;

const UNIT_MAX = 4095;
const SUMMARY_NAMES: Record<SummaryKind, string> = {
  mean: 'mean over units',
  share: 'share of units forgetting (f < 0.5)',
  change: 'change from the previous token',
};

export const data = addGenerationOptions(
  new SlashCommandBuilder()
    .setName('gates')
    .setDescription('Tell a story coloured by forget-gate activity, with a heatmap of every unit'),
  GATES_LENGTH_DEFAULT,
)
  .addIntegerOption((o) =>
    o
      .setName('layer')
      .setDescription('Which recurrent layer to show (default: the top one)')
      .setMinValue(OPTION_LIMITS.layer.min)
      .setMaxValue(OPTION_LIMITS.layer.max),
  )
  // The terminal gate view's choices, so a picture of it can be shared.
  .addIntegerOption((o) => o.setName('unit').setDescription('Colour by this unit (0 = first) instead of a summary').setMinValue(0).setMaxValue(UNIT_MAX))
  .addStringOption((o) =>
    o
      .setName('summary')
      .setDescription('Colour by a summary over the units (default: mean)')
      .addChoices(...SUMMARY_KINDS.map((k) => ({ name: SUMMARY_NAMES[k], value: k }))),
  )
  .addStringOption((o) =>
    o
      .setName('scale')
      .setDescription('Colour scale (default: the story\'s 5th-95th percentile)')
      .addChoices(...SCALE_MODES.map((m) => ({ name: SCALE_MODE_TEXT[m], value: m }))),
  );

/** unit or summary (not both) and the scale; Discord checks the choices, and a stale deployment is checked here. */
export function readGateView(options: OptionReader): GateViewChoice | undefined {
  const unit = options.getInteger('unit');
  const summary = options.getString('summary');
  const scale = options.getString('scale');
  if (unit !== null && summary !== null) throw new UserError('unit and summary each choose what the story is coloured by; give one of them');
  if (unit !== null && (!Number.isInteger(unit) || unit < 0 || unit > UNIT_MAX)) throw new UserError(`unit must be a whole number from 0 to ${UNIT_MAX} (got ${unit})`);
  if (summary !== null && !(SUMMARY_KINDS as readonly string[]).includes(summary)) throw new UserError(`summary must be one of ${SUMMARY_KINDS.join(', ')}`);
  if (scale !== null && !(SCALE_MODES as readonly string[]).includes(scale)) throw new UserError(`scale must be one of ${SCALE_MODES.join(', ')}`);
  const focus = unit !== null ? { unit } : summary !== null ? { summary: summary as SummaryKind } : undefined;
  if (!focus && scale === null) return undefined;
  return { focus, scale: (scale ?? 'fit') as ScaleMode };
}

export const execute: BotCommand['execute'] = (interaction, ctx) =>
  tellRequestedStory(interaction, ctx, GATES_LENGTH_DEFAULT, (req) => ({ gates: true, layer: req.layer, view: readGateView(interaction.options) }));
