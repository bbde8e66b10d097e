// Chat by mention (BOT_CHAT=1): the real client against the loopback double, with a scripted engine
// whose story tries to ping everyone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GenerationEvent } from '../../src/generation/events.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

const MENACE = ' and then @everyone shouted at <@42> in <#7>.';

/** Tells the same story every time, token by character. */
class ScriptedEngine extends FakeStoryEngine {
  override async *generate(model: string, options: Partial<GenerateOptions>): AsyncIterable<GenerationEvent> {
    this.calls.push({ model, options });
    const o = { ...DEFAULT_GENERATE_OPTIONS, ...options, seed: 'chat-seed' };
    yield { type: 'start', seed: 'chat-seed', prime: options.prime ?? '', primeText: options.prime ?? '', unknown: { unknown: [], actions: [] }, options: o };
    let i = 0;
    for (const ch of MENACE) yield { type: 'token', index: i++, id: 1, text: ch, prob: 1, top: [] };
    yield { type: 'end', reason: 'length', text: MENACE, tokens: MENACE.length, seed: 'chat-seed' };
  }
}

let double: DiscordDouble;
let engine: ScriptedEngine;
let bot: RunningBot;

const replyTo = (d: DiscordDouble, messageId: string) =>
  d.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${d.channelId}/messages` && r.json?.message_reference?.message_id === messageId);

beforeAll(async () => {
  double = await startDiscordDouble();
  engine = new ScriptedEngine();
  bot = await startBot({ token: double.token, engine, apiBase: double.apiBase, defaultModel: FAKE_MODEL.name, cooldownSeconds: 0, chat: true });
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

describe('chat by mention', () => {
  test('asks for the GuildMessages and MessageContent intents', () => {
    const intents = double.gateway.identified[0].identify!.intents;
    expect(intents & (1 << 9)).toBeTruthy();
    expect(intents & (1 << 15)).toBeTruthy();
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
  });

  test('mentions in the generated text are neutralised', async () => {
    const msg = double.userMessage(`<@${double.applicationId}> hello`, double.person('cy'), [double.botUser]);
    const reply = await replyTo(double, msg.id);
    const content: string = reply.json.content;
    expect(content).toContain('@\u200beveryone');
    expect(content).not.toMatch(/@everyone|<@\d|<#\d/);
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
    const replied = double.requests.filter((r) => r.path.endsWith('/messages') && r.method === 'POST').map((r) => r.json.message_reference?.message_id);
    expect(replied).not.toContain(plain.id);
    expect(replied).not.toContain(fromBot.id);
  });
});
