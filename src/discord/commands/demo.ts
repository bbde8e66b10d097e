// /demo: the teaching demos. The cheap ones (gradients part (a), one-unit prices) are computed here in
// milliseconds; the heavy ones run as `storyteller demo NAME --json` in a child process, so the gateway
// thread stays free, with a time limit.
import { SlashCommandBuilder } from 'discord.js';
import { arithmeticDemo } from '../../demos/gradients.ts';
import { pricesDemo } from '../../demos/prices.ts';
import { UserError } from '../../errors.ts';
import { checkDemoModels, DEMO_NAMES, runDemoProcess, type DemoData, type DemoName, type DemoRunOptions } from '../../demos/demo-runner.ts';
import type { BotCommand } from '../context.ts';
import { demoReply } from '../demo-reply.ts';
import { NO_MENTIONS, takeSlot } from '../story-flow.ts';

/** A demo still running after this is stopped; the interaction token itself lasts 15 minutes. */
export const DEMO_TIMEOUT_MS = 5 * 60_000;

export const data = new SlashCommandBuilder()
  .setName('demo')
  .setDescription('Run a teaching demo: long dependencies, vanishing gradients, share prices, "X saw X."')
  .addStringOption((o) =>
    o
      .setName('name')
      .setDescription('Which demo')
      .setRequired(true)
      .addChoices(...DEMO_NAMES.map((n) => ({ name: n, value: n }))),
  );

async function runDemo(name: DemoName, options: DemoRunOptions): Promise<DemoData> {
  switch (name) {
    case 'gradients':
      return { name, arithmetic: arithmeticDemo(), byGap: [], notes: ['part (b), measured on the trained long-dependency models: storyteller demo gradients'] };
    case 'prices':
      return { name, prices: pricesDemo(), notes: [] };
    default:
      return runDemoProcess(name, options);
  }
}

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const name = interaction.options.getString('name', true);
  if (!(DEMO_NAMES as readonly string[]).includes(name)) throw new UserError(`there is no demo "${name}" (demos: ${DEMO_NAMES.join(', ')})`);
  const demo = name as DemoName;
  const modelsDir = ctx.modelsDir;
  // Missing models are known at once: say so ephemerally instead of deferring a public reply.
  checkDemoModels(demo, modelsDir);
  const slot = await takeSlot(interaction, ctx);
  if (!slot) return;
  try {
    await interaction.deferReply();
    const result = await runDemo(demo, { modelsDir, timeoutMs: DEMO_TIMEOUT_MS, signal: ctx.shutdown });
    await interaction.editReply({ ...demoReply(result), allowedMentions: NO_MENTIONS });
  } finally {
    slot.release();
  }
};
