// Chat by mention (only when BOT_CHAT=1: reading message text needs the privileged MessageContent
// intent). The reply continues the message in the storyteller's voice and threads to it.
import { Events, type Message } from 'discord.js';
import { UserError } from '../../errors.ts';
import { CHAT_GENERATION } from '../commands/chat.ts';
import type { BotContext, BotEvent } from '../context.ts';
import { runStory } from '../generate.ts';
import { refusalMessage } from '../limits.ts';
import { storyContent } from '../replies.ts';
import { cleanPrompt } from '../sanitize.ts';
import { STORY_MAX_CHARS } from '../story-flow.ts';

const NO_PINGS = { parse: [] as [], repliedUser: false };

function reply(message: Message, content: string) {
  return message.reply({ content, allowedMentions: NO_PINGS, failIfNotExists: false });
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

async function answer(ctx: BotContext, message: Message, botId: string) {
  const prompt = chatPrompt(message, botId);
  if (!prompt) {
    await reply(message, 'Mention me with the start of a story and I will carry on from it.');
    return;
  }
  const slot = ctx.limits.acquire(message.author.id);
  if (!slot.ok) {
    await reply(message, refusalMessage(slot));
    return;
  }
  try {
    if ('sendTyping' in message.channel) await message.channel.sendTyping().catch(() => undefined);
    const run = await runStory(ctx.engine, ctx.defaultModel, { prime: prompt, ...CHAT_GENERATION }, {
      maxChars: STORY_MAX_CHARS,
      signal: ctx.shutdown,
    });
    await reply(message, storyContent(run, ''));
  } finally {
    slot.release();
  }
}

export const event: BotEvent<Events.MessageCreate> = {
  name: Events.MessageCreate,
  async execute(ctx, message) {
    const me = message.client.user;
    if (message.author.bot || !me) return;
    if (!message.mentions.has(me, { ignoreEveryone: true, ignoreRoles: true, ignoreRepliedUser: true })) return;
    try {
      await answer(ctx, message, me.id);
    } catch (error) {
      if (!(error instanceof UserError)) ctx.log.error('chat reply failed', error);
      const text = error instanceof UserError ? `⚠️ ${error.message}` : '⚠️ Something went wrong; it has been logged.';
      await reply(message, text).catch((e) => ctx.log.error('could not report a chat error', e));
    }
  },
};
