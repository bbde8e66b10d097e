// /episode: the long-dependency demo as a person tries it. "I grew up in {country}." then the filler they
// type, then "I speak fluent" — the model answers greedily, and the reply colours the whole episode by the
// forget gate, so a class can watch the memory hold the country across their own sentence.
import { SlashCommandBuilder } from 'discord.js';
import { EXAMPLE_FILLER, PROSE_MODEL } from '../../demos/long-dependency-examples.ts';
import { INTRO, QUESTION } from '../../demos/long-dependency-corpus.ts';
import { UserError } from '../../errors.ts';
import type { GenerateOptions } from '../../generation/events.ts';
import { DISCORD_MESSAGE_LIMIT } from '../ansi-gates.ts';
import { refuseFlagged } from '../content-filter.ts';
import type { BotCommand, BotContext } from '../context.ts';
import { runStory, type StoryRun } from '../generate.ts';
import { gateHeatmapInput, gatesReply, renderGatePng } from '../replies.ts';
import { cleanPrompt } from '../sanitize.ts';
import { NO_MENTIONS, takeSlot } from '../story-flow.ts';

export const EPISODE_COUNTRY_DEFAULT = 'France';
export const COUNTRY_MAX_LENGTH = 40;
/** The demo's models were trained on gaps up to 360 characters; a little more is allowed to try. */
export const FILLER_MAX_LENGTH = 400;
/** The long-dependency models the episode may use, best first: the prose-trained LSTM, then the early-reader one. */
export const EPISODE_MODELS = [PROSE_MODEL, 'long-dep-lstm'] as const;
/** Enough tokens for the language and its full stop. */
const ANSWER_LENGTH = 16;

export const data = new SlashCommandBuilder()
  .setName('episode')
  .setDescription('"I grew up in France. … I speak fluent ___": does the LSTM remember across your own sentence?')
  .addStringOption((o) =>
    o.setName('filler').setDescription('What comes between the country and "I speak fluent" (default: a short story)').setMaxLength(FILLER_MAX_LENGTH),
  )
  .addStringOption((o) => o.setName('country').setDescription(`Where "I" grew up (default: ${EPISODE_COUNTRY_DEFAULT})`).setMaxLength(COUNTRY_MAX_LENGTH))
  .addStringOption((o) => o.setName('model').setDescription('A long-dependency model (default: the prose-trained LSTM)'));

export interface Episode {
  country: string;
  filler: string;
  /** The prompt the model reads: intro, filler, "I speak fluent" (no trailing space, as a person types it). */
  prompt: string;
}

/** Builds the episode from what the user typed; the defaults are the README's France example. */
export function readEpisode(country: string | null, filler: string | null): Episode {
  const c = cleanPrompt(country ?? '', {}, COUNTRY_MAX_LENGTH).replace(/\s+/g, ' ') || EPISODE_COUNTRY_DEFAULT;
  const f = filler === null ? EXAMPLE_FILLER : cleanPrompt(filler, {}, FILLER_MAX_LENGTH).replace(/\s+/g, ' ');
  return { country: c, filler: f, prompt: `${INTRO(c)} ${f}${f ? ' ' : ''}${QUESTION.trimEnd()}` };
}

/** Greedy, one sentence, with the prompt's gates: the same answer the CLI and the TUI give for this prompt. */
export function episodeOptions(episode: Episode): Partial<GenerateOptions> & { prime: string } {
  return { prime: episode.prompt, length: ANSWER_LENGTH, temperature: 0, stop: 'sentence', tracePrompt: true };
}

/** The language the model named: the continuation up to its full stop. */
export function answerOf(text: string): string {
  return text.split(/[.\n]/)[0]!.trim();
}

/** The model asked for, or the first long-dependency model the folder has. */
async function episodeModel(ctx: BotContext, asked: string | null): Promise<string> {
  if (asked?.trim()) return ctx.models.check(asked.trim());
  const names = new Set((await ctx.engine.listModels()).map((m) => m.name));
  const found = EPISODE_MODELS.find((n) => names.has(n));
  if (!found) throw new UserError(`no long-dependency model is installed (${EPISODE_MODELS.join(' or ')})`);
  return found;
}

/** The episode as one coloured run: the prompt's tokens and gates, then the answer's. */
export function wholeEpisode(run: StoryRun): StoryRun {
  return {
    ...run,
    tokens: [...(run.promptTokens ?? []), ...run.tokens],
    forget: [...(run.promptForget ?? []), ...(run.forget ?? [])],
    text: (run.promptTokens ?? []).join('') + run.text,
  };
}

/**
 * The episode word by word: each word (with the space after it) one token, its gates the mean of its
 * characters'. A character model's episode coloured per character runs past Discord's 2,000 characters
 * in escape codes alone; per word, a 360-character filler fits with the answer.
 */
export function byWord(run: StoryRun): StoryRun {
  const tokens: string[] = [];
  const forget: number[][] = [];
  let rows: number[][] = [];
  let word = '';
  const flush = () => {
    if (!rows.length) return;
    tokens.push(word);
    forget.push(rows[0]!.map((_, u) => rows.reduce((sum, r) => sum + r[u]!, 0) / rows.length));
    rows = [];
    word = '';
  };
  run.tokens.forEach((t, k) => {
    if (word && /\s$/.test(word) && !/^\s/.test(t)) flush();
    word += t;
    rows.push(run.forget?.[k] ?? []);
  });
  flush();
  return { ...run, tokens, forget };
}

export function answerLine(episode: Episode, run: StoryRun): string {
  const answer = answerOf(run.text) || '(nothing)';
  const gap = episode.prompt.length - INTRO(episode.country).length;
  return `Grew up in **${episode.country}** · ${gap} characters later: "I speak fluent **${answer}**" · coloured word by word, every character in the picture`;
}

export const execute: BotCommand['execute'] = async (interaction, ctx) => {
  const episode = readEpisode(interaction.options.getString('country'), interaction.options.getString('filler'));
  refuseFlagged(ctx.filter, episode.prompt);
  const model = await episodeModel(ctx, interaction.options.getString('model'));
  const slot = await takeSlot(interaction, ctx);
  if (!slot) return;
  try {
    await interaction.deferReply();
    const run = await runStory(
      ctx.engine,
      model,
      episodeOptions(episode),
      { gates: true, signal: ctx.shutdown, filter: ctx.filter },
      ctx.models.key(model),
    );
    const whole = wholeEpisode(run);
    const head = answerLine(episode, run);
    const png = await renderGatePng(ctx.engine, gateHeatmapInput(whole));
    const body = gatesReply(byWord(whole), '', png, DISCORD_MESSAGE_LIMIT - head.length - 1);
    await interaction.editReply({ content: `${head}\n${body.content}`, files: body.files, allowedMentions: NO_MENTIONS });
  } finally {
    slot.release();
  }
};
