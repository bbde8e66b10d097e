// The buttons under a story. Their custom ids only say which action; the story itself is looked up by
// the message id in the bot's LRU, so a story older than the cache asks the user to run /story again.
import type { ButtonInteraction } from 'discord.js';
import { UserError } from '../../errors.ts';
import type { BotContext } from '../context.ts';
import { STORY_BUTTON } from '../replies.ts';
import { tellStory } from '../story-flow.ts';

export const PREFIX = 'story:';

/** A continuation is primed with the story so far; its tail is enough context and keeps priming quick. */
export const CONTINUE_PRIME_CHARS = 1200;

export function primeTail(text: string, max = CONTINUE_PRIME_CHARS): string {
  if (text.length <= max) return text;
  const start = text.length - max;
  const tail = text.slice(start);
  // Start at a word boundary so a word-level model does not see half a word.
  if (/\s/.test(text[start - 1])) return tail;
  const space = tail.search(/\s/);
  return space >= 0 ? tail.slice(space + 1) : tail;
}

export async function execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const stored = ctx.stories.get(interaction.message.id);
  if (!stored) {
    throw new UserError(`that story is no longer in my memory (I keep the last ${ctx.stories.capacity}); run /story again`);
  }
  const { run, prompt } = stored;
  const base = { length: run.options.length, temperature: run.options.temperature, topK: run.options.topK, topP: run.options.topP, stop: run.options.stop, finish: run.options.finish };
  const lead = run.prime === prompt ? prompt : '…';
  switch (interaction.customId) {
    case STORY_BUTTON.regenerate:
      // Same prompt and settings; no seed, so the engine draws a new one and reports it.
      await tellStory(interaction, ctx, { model: run.model, prompt, lead, options: { ...base, prime: run.prime }, gates: false });
      return;
    case STORY_BUTTON.continue:
      await tellStory(interaction, ctx, {
        model: run.model,
        prompt,
        lead: '…',
        options: { ...base, prime: primeTail(run.prime + run.text) },
        gates: false,
      });
      return;
    case STORY_BUTTON.gates:
      // Replaying the seed reproduces the same story, this time with its gate trace.
      await tellStory(interaction, ctx, {
        model: run.model,
        prompt,
        lead,
        // A story cut to fit its message is replayed only as far as it was shown.
        options: { ...base, length: run.cut ? run.tokens.length : base.length, prime: run.prime, seed: run.seed },
        gates: true,
        layer: run.layer,
      });
      return;
    default:
      throw new UserError('this button belongs to an older version of the bot; run /story again');
  }
}
