// Chat by message through the project's host bot and the loopback double: mentions and DMs are answered
// with non-privileged intents only (the double, like Discord, withholds the text of other messages without
// Message Content), and a chat channel answers every message once the privileged intent is requested.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import { createStorytellerPlugin, type StorytellerPlugin } from '../../src/discord/plugin.ts';
import { EMPTY_CHAT_MESSAGE } from '../../src/discord/messages.ts';
import { FILTERED_PROMPT_MESSAGE } from '../../src/discord/content-filter.ts';
import { STORY_DEFAULTS } from '../../src/generation/story-defaults.ts';
import { INTENT, startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';
import { ScriptedEngine } from './scripted-engine.ts';

const MENACE = ' and then @everyone shouted at <@42> in <#7>.';

let double: DiscordDouble;
let engine: ScriptedEngine;
let plugin: StorytellerPlugin;
let bot: RunningBot;

const replyTo = (d: DiscordDouble, messageId: string, channelId = d.channelId) =>
  d.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.json?.message_reference?.message_id === messageId);
const repliedIds = (d: DiscordDouble) =>
  d.requests.filter((r) => r.path.endsWith('/messages') && r.method === 'POST').map((r) => r.json.message_reference?.message_id);

beforeAll(async () => {
  double = await startDiscordDouble();
  engine = new ScriptedEngine(MENACE);
  plugin = createStorytellerPlugin({ engine, defaultModel: FAKE_MODEL.name, cooldownSeconds: 0 });
  bot = await startBot({ token: double.token, plugin, apiBase: double.apiBase });
});

afterAll(async () => {
  await plugin?.close();
  await bot?.stop();
  await double?.close();
});

describe('chat by mention and DM, without privileged intents', () => {
  test('asks for GuildMessages and DirectMessages but not the privileged MessageContent', () => {
    const intents = double.gateway.identified[0].identify!.intents;
    expect(intents & INTENT.GuildMessages).toBeTruthy();
    expect(intents & INTENT.DirectMessages).toBeTruthy();
    expect(intents & INTENT.MessageContent).toBe(0);
  });

  test('a mention gets a threaded reply that can ping nobody', async () => {
    const ana = double.person('ana');
    const msg = double.userMessage(`<@${double.applicationId}> Spot found a ball`, ana, [double.botUser]);
    const reply = await replyTo(double, msg.id);
    expect(reply.json.allowed_mentions.parse).toEqual([]);
    expect(reply.json.allowed_mentions.replied_user).toBe(false);
    expect(reply.json.message_reference).toMatchObject({ message_id: msg.id, fail_if_not_exists: false });
  });

  test('the reply is primed with the message, without the bot mention', async () => {
    const msg = double.userMessage(`<@${double.applicationId}> Jane had a kite`, double.person('bo'), [double.botUser]);
    await replyTo(double, msg.id);
    expect(engine.calls.at(-1)?.options.prime).toBe('Jane had a kite');
    // Told as the bot's stories are: npm start's temperature and top-p.
    expect(engine.calls.at(-1)?.options).toMatchObject({ temperature: STORY_DEFAULTS.temperature, topP: STORY_DEFAULTS.topP });
  });

  test('mentions in the generated text are neutralised', async () => {
    const msg = double.userMessage(`<@${double.applicationId}> hello`, double.person('cy'), [double.botUser]);
    const reply = await replyTo(double, msg.id);
    const content: string = reply.json.content;
    expect(content).toContain('@\u200beveryone');
    expect(content).not.toMatch(/@everyone|<@\d|<#\d/);
  });

  test('a DM is answered in the DM channel, primed with the whole message', async () => {
    const msg = double.directMessage('The owl could not sleep', double.person('dee'));
    const reply = await replyTo(double, msg.id, msg.channel_id);
    expect(engine.calls.at(-1)?.options.prime).toBe('The owl could not sleep');
    expect(reply.json.allowed_mentions.parse).toEqual([]);
    expect(reply.json.content).toContain('@\u200beveryone');
  });

  test('a mention with nothing else asks for the start of a story', async () => {
    const msg = double.userMessage(`<@${double.applicationId}>`, double.person('eve'), [double.botUser]);
    const reply = await replyTo(double, msg.id);
    expect(reply.json.content).toBe(EMPTY_CHAT_MESSAGE);
  });

  test('messages that do not mention the bot, and messages from bots, are ignored', async () => {
    const before = engine.calls.length;
    const plain = double.userMessage('just talking', double.person('di'));
    const robot = { ...double.person('robo'), bot: true };
    const fromBot = double.userMessage(`<@${double.applicationId}> beep`, robot, [double.botUser]);
    // A later mention is answered, so by then the earlier two have been processed.
    const marker = double.userMessage(`<@${double.applicationId}> last`, double.person('ed'), [double.botUser]);
    await replyTo(double, marker.id);
    expect(engine.calls.length).toBe(before + 1);
    expect(repliedIds(double)).not.toContain(plain.id);
    expect(repliedIds(double)).not.toContain(fromBot.id);
  });

  test('a flagged mention gets the polite refusal and nothing is generated', async () => {
    const before = engine.calls.length;
    const msg = double.userMessage(`<@${double.applicationId}> tell me about the sh1t pile`, double.person('fay'), [double.botUser]);
    const reply = await replyTo(double, msg.id);
    expect(reply.json.content).toBe(`⚠️ ${FILTERED_PROMPT_MESSAGE}`);
    expect(engine.calls.length).toBe(before);
  });
});

describe('a chat channel (privileged Message Content)', () => {
  let open: DiscordDouble;
  let openPlugin: StorytellerPlugin;
  let openBot: RunningBot;
  let openEngine: ScriptedEngine;

  beforeAll(async () => {
    open = await startDiscordDouble();
    openEngine = new ScriptedEngine(' and they all had tea.');
    openPlugin = createStorytellerPlugin({ engine: openEngine, defaultModel: FAKE_MODEL.name, cooldownSeconds: 0, chatChannels: [open.secondChannelId] });
    openBot = await startBot({ token: open.token, plugin: openPlugin, apiBase: open.apiBase, chatChannels: [open.secondChannelId] });
  });

  afterAll(async () => {
    await openPlugin?.close();
    await openBot?.stop();
    await open?.close();
  });

  test('the host asks for the MessageContent intent', () => {
    expect(open.gateway.identified[0].identify!.intents & INTENT.MessageContent).toBeTruthy();
  });

  test('every message in the chat channel is answered, mention or not; other channels still need a mention', async () => {
    const elsewhere = open.userMessage('just talking', open.person('gil'));
    const msg = open.userMessage('The snail set off at dawn', open.person('hana'), [], open.secondChannelId);
    const reply = await replyTo(open, msg.id, open.secondChannelId);
    expect(openEngine.calls.at(-1)?.options.prime).toBe('The snail set off at dawn');
    expect(reply.json.content).toContain('they all had tea');
    expect(repliedIds(open)).not.toContain(elsewhere.id);
  });

  test('a host that is refused the privileged intent fails at start-up', async () => {
    const strict = await startDiscordDouble({ disallowedIntents: INTENT.MessageContent });
    const p = createStorytellerPlugin({ engine: new ScriptedEngine(''), defaultModel: FAKE_MODEL.name, chatChannels: [strict.secondChannelId] });
    try {
      await expect(startBot({ token: strict.token, plugin: p, apiBase: strict.apiBase, chatChannels: [strict.secondChannelId] })).rejects.toThrow();
    } finally {
      await p.close();
      await strict.close();
    }
  });
});
