// Chat by message: the storyteller continues what you said and threads its reply to your message. Discord
// delivers a message's text without the privileged Message Content intent when the message mentions the
// bot or is a DM, so those work with any host; answering every message in a channel needs that intent.
import type { Message } from 'discord.js';
import { UserError } from '../errors.ts';
import { CHAT_GENERATION } from './commands/chat.ts';
import { refuseFlagged } from './content-filter.ts';
import type { BotContext } from './context.ts';
import { runStory } from './generate.ts';
import { refusalMessage } from './limits.ts';
import { storyContent } from './replies.ts';
import { cleanPrompt } from './sanitize.ts';
import { NO_MENTIONS, STORY_MAX_CHARS } from './story-flow.ts';

export const EMPTY_CHAT_MESSAGE = 'Mention me with the start of a story and I will carry on from it.';

function reply(message: Message, content: string) {
  // No pings, and the reply does not ping its author either.
  return message.reply({ content, allowedMentions: { ...NO_MENTIONS, repliedUser: false }, failIfNotExists: false });
}

/** The message text without the bot's own mention, other mentions turned into names. */
export function chatPrompt(message: Message, botId: string): string {
  const withoutBot = message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
  return cleanPrompt(withoutBot, {
    user: (id) => message.mentions.users.get(id)?.displayName,
    role: (id) => message.mentions.roles.get(id)?.name,
    channel: (id) => {
      const c = message.mentions.channels.get(id);
      return c && 'name' in c && c.name ? c.name : undefined;
    },
  });
}

/**
 * `addressed`: the message mentions the bot or is a DM. Messages in an open chat channel that are not
 * addressed get no reply when there is nothing to say or the user must wait, so the channel is not
 * flooded with notices.
 */
async function answer(ctx: BotContext, message: Message, botId: string, addressed: boolean) {
  const prompt = chatPrompt(message, botId);
  if (!prompt) {
    if (addressed) await reply(message, EMPTY_CHAT_MESSAGE);
    return;
  }
  refuseFlagged(ctx.filter, prompt);
  const slot = ctx.limits.acquire(message.author.id);
  if (!slot.ok) {
    if (addressed) await reply(message, refusalMessage(slot));
    return;
  }
  try {
    if ('sendTyping' in message.channel) await message.channel.sendTyping().catch(() => undefined);
    const run = await runStory(
      ctx.engine,
      ctx.defaultModel,
      { prime: prompt, ...CHAT_GENERATION },
      { maxChars: STORY_MAX_CHARS, signal: ctx.shutdown, filter: ctx.filter },
      ctx.models.key(ctx.defaultModel),
    );
    await reply(message, storyContent(run, ''));
  } finally {
    slot.release();
  }
}

/** Answers a mention, a DM, or any message in one of `chatChannels`; resolves false for anything else. */
export async function handleMessage(ctx: BotContext, chatChannels: ReadonlySet<string>, message: Message): Promise<boolean> {
  const me = message.client.user;
  if (!me || message.author.bot || message.webhookId || message.author.id === me.id) return false;
  const addressed = !message.inGuild() || message.mentions.has(me, { ignoreEveryone: true, ignoreRoles: true, ignoreRepliedUser: true });
  if (!addressed && !chatChannels.has(message.channelId)) return false;
  try {
    await answer(ctx, message, me.id, addressed);
  } catch (error) {
    if (!(error instanceof UserError)) ctx.log.error('chat reply failed', error);
    const text = error instanceof UserError ? `⚠️ ${error.message}` : '⚠️ Something went wrong; it has been logged.';
    await reply(message, text).catch((e) => ctx.log.error('could not report a chat error', e));
  }
  return true;
}
