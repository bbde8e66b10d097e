// The path every story takes from an interaction (slash command or button): take a generation slot,
// defer (generation can outlast Discord's 3-second reply window), generate, edit the deferred reply,
// and remember the story so its buttons work.
import { MessageFlags, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import { UserError } from '../errors.ts';
import type { GenerateOptions } from '../generation/events.ts';
import { refuseFlagged } from './content-filter.ts';
import type { BotContext } from './context.ts';
import { runStory, type GateViewChoice, type StoryRun } from './generate.ts';
import { refusalMessage } from './limits.ts';
import { readStoryRequest, storyOptions, type StoryRequest } from './options.ts';
import { gateHeatmapInput, gatesReply, renderGatePng, storyButtons, storyContent } from './replies.ts';

export const NO_MENTIONS = { parse: [] as [] };

/** Generated text beyond this could not be shown in one message, so generation stops there. */
export const STORY_MAX_CHARS = 2000;

export interface StoryJob {
  model: string;
  /** What the user typed (shown in bold); the prime may be longer for continuations. */
  prompt: string;
  /** Bold text before the story: the prompt, or … when continuing. */
  lead: string;
  options: Partial<GenerateOptions> & { prime: string };
  gates: boolean;
  layer?: number;
  view?: GateViewChoice;
}

/** Replies ephemerally with a refusal and returns undefined when the user must wait. */
export async function takeSlot(interaction: RepliableInteraction, ctx: BotContext) {
  const slot = ctx.limits.acquire(interaction.user.id);
  if (slot.ok) return slot;
  await interaction.reply({ content: refusalMessage(slot), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  return undefined;
}

export async function tellStory(interaction: RepliableInteraction, ctx: BotContext, job: StoryJob): Promise<StoryRun | undefined> {
  // A flagged prompt (or seed, which the footer shows) is refused before anything is generated.
  refuseFlagged(ctx.filter, job.prompt, job.options.seed);
  const slot = await takeSlot(interaction, ctx);
  if (!slot) return undefined;
  try {
    await interaction.deferReply();
    const told = await runStory(
      ctx.engine,
      job.model,
      job.options,
      {
        gates: job.gates,
        layer: job.layer,
        // The gate view keeps every token for its heatmap; a plain story stops when the message is full.
        maxChars: job.gates ? undefined : STORY_MAX_CHARS,
        signal: ctx.shutdown,
        filter: ctx.filter,
      },
      ctx.models.key(job.model),
    );
    const run: StoryRun = job.view ? { ...told, view: job.view } : told;
    const body = job.gates
      ? gatesReply(run, job.prompt, await renderGatePng(ctx.engine, gateHeatmapInput(run)))
      : { content: storyContent(run, job.lead), files: [] };
    const message = await interaction.editReply({ ...body, components: [storyButtons()], allowedMentions: NO_MENTIONS });
    ctx.stories.set(message.id, { run, prompt: job.prompt });
    return run;
  } finally {
    slot.release();
  }
}

/**
 * /story and /gates: read and check the request's options and model, then tell the story; `shown` says
 * how (gates or not, which layer, which colouring) from the request.
 */
export async function tellRequestedStory(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  length: number,
  shown: (req: StoryRequest) => Pick<StoryJob, 'gates' | 'layer' | 'view'>,
): Promise<void> {
  const req = readStoryRequest(interaction.options, { model: ctx.defaultModel, length });
  await ctx.models.check(req.model);
  await tellStory(interaction, ctx, { model: req.model, prompt: req.prompt, lead: req.prompt, options: storyOptions(req), ...shown(req) });
}

/** Errors become an ephemeral note to the user; unexpected ones are also logged (without the token). */
export async function reportError(interaction: RepliableInteraction, ctx: BotContext, error: unknown): Promise<void> {
  const expected = error instanceof UserError;
  if (!expected) ctx.log.error(`/${interaction.isChatInputCommand() ? interaction.commandName : 'button'} failed`, error);
  const content = expected ? `⚠️ ${error.message}` : '⚠️ Something went wrong while writing the story; it has been logged.';
  const note = { content, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
  try {
    if (interaction.deferred && !interaction.replied) {
      // A deferred reply is public and cannot turn ephemeral: remove the "thinking…" placeholder instead.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp(note);
    } else if (interaction.replied) {
      await interaction.followUp(note);
    } else {
      await interaction.reply(note);
    }
  } catch (e) {
    ctx.log.error('could not report an error to the user', e);
  }
}
