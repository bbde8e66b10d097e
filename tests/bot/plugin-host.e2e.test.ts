// A bot of its own adds the storyteller: its own discord.js client, its own /ping, and the plugin's
// commands registered next to it, against the loopback double. The plugin answers /story, a mention and
// a DM, leaves /ping to the host, and filters what it is asked and what it writes.
import { Client, Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FILTERED_PROMPT_MESSAGE } from '../../src/discord/content-filter.ts';
import { displayText } from '../../src/discord/sanitize.ts';
import { createStorytellerPlugin, storytellerIntents, storytellerPartials, type StorytellerPlugin } from '../../src/discord/index.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL } from '../support/fake-story-engine.ts';
import { ScriptedEngine } from './scripted-engine.ts';

// The story the engine always tells; one word in it is not family-friendly.
const STORY = ' and Spot ran to the shit pile.';
// As Discord gets it: the stars escaped so they are not read as markdown.
const CENSORED = displayText(' and Spot ran to the **** pile.');
const EPHEMERAL = 64;
const PING = { name: 'ping', description: 'Is the bot there?' };

interface Host {
  double: DiscordDouble;
  client: Client;
  plugin: StorytellerPlugin;
  engine: ScriptedEngine;
  pings: string[];
}

/** The host bot, written as a user would (see README, "Add it to your bot"). */
async function startHost(contentFilter?: boolean): Promise<Host> {
  const double = await startDiscordDouble();
  const engine = new ScriptedEngine(STORY);
  const pings: string[] = [];
  const storyteller = createStorytellerPlugin({ engine, defaultModel: FAKE_MODEL.name, cooldownSeconds: 0, contentFilter });
  const client = new Client({ intents: storytellerIntents(), partials: storytellerPartials, rest: { api: double.apiBase } });
  const ready = new Promise<void>((resolve) =>
    client.once(Events.ClientReady, async (c) => {
      await c.application.commands.set([PING, ...storyteller.commands]);
      resolve();
    }),
  );
  client.on(Events.InteractionCreate, async (interaction) => {
    if (await storyteller.handleInteraction(interaction)) return;
    if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
      pings.push(interaction.id);
      await interaction.reply('pong');
    }
  });
  client.on(Events.MessageCreate, (message) => void storyteller.handleMessage(message));
  await client.login(double.token);
  await ready;
  return { double, client, plugin: storyteller, engine, pings };
}

async function stopHost(h: Host | undefined) {
  if (!h) return;
  await h.plugin.close();
  await h.client.destroy();
  await h.double.close();
}

const storyJson = (h: Host) => h.plugin.commands.find((c) => c.name === 'story')!;
const editOf = (d: DiscordDouble, token: string) =>
  d.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`) && r.status === 200, 10_000, 'edit of @original');
const callbackOf = (d: DiscordDouble, token: string) =>
  d.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`), 10_000, 'interaction callback');
const replyTo = (d: DiscordDouble, messageId: string, channelId: string) =>
  d.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.json?.message_reference?.message_id === messageId);

describe('a host bot with its own client and the plugin (filter on, the default)', () => {
  let h: Host;
  beforeAll(async () => {
    h = await startHost();
  });
  afterAll(() => stopHost(h));

  test("the plugin's commands are registered next to the host's own", () => {
    const names = (h.double.commands.get('global') as Array<{ name: string }>).map((c) => c.name);
    expect(names).toEqual(['ping', 'story', 'gates', 'chat', 'model', 'demo', 'episode']);
  });

  test('/story is answered by the plugin, the flagged word censored', async () => {
    const i = h.double.slashCommand(storyJson(h), { prompt: 'Once upon a time', seed: 's' }, h.double.person('ana'));
    expect((await callbackOf(h.double, i.token)).json.type).toBe(5);
    const edit = await editOf(h.double, i.token);
    expect(edit.json.content).toContain(`**Once upon a time**${CENSORED}`);
    expect(edit.json.content).not.toContain('shit');
    expect(edit.json.allowed_mentions).toEqual({ parse: [] });
  });

  test('/gates draws the censored tokens too', async () => {
    const gates = h.plugin.commands.find((c) => c.name === 'gates')!;
    const i = h.double.slashCommand(gates, { prompt: 'Once', seed: 's' }, h.double.person('ben'));
    const edit = await editOf(h.double, i.token);
    expect(edit.files).toHaveLength(1);
    expect(edit.json.content).not.toContain('shit');
    // One colour throughout (the scripted gates are constant), so the block holds the text unbroken.
    expect(edit.json.content).toContain('Spot ran to the **** pile.');
  });

  test('its own /ping is left to the host', async () => {
    const i = h.double.slashCommand(PING, {}, h.double.person('cai'));
    const callback = await callbackOf(h.double, i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { content: 'pong' } });
    expect(h.pings).toEqual([i.id]);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.double.requestsFor(i)).toHaveLength(1); // the host's pong and nothing from the plugin
  });

  test('a mention is answered, censored', async () => {
    const msg = h.double.userMessage(`<@${h.double.applicationId}> Tell me about Spot`, h.double.person('dot'), [h.double.botUser]);
    const reply = await replyTo(h.double, msg.id, h.double.channelId);
    expect(reply.json.content).toContain(CENSORED);
    expect(h.engine.calls.at(-1)?.options.prime).toBe('Tell me about Spot');
  });

  test('a DM is answered', async () => {
    const msg = h.double.directMessage('Spot had a ball', h.double.person('eli'));
    const reply = await replyTo(h.double, msg.id, msg.channel_id);
    expect(reply.json.content).toContain(CENSORED);
  });

  test('a flagged prompt gets the polite refusal, ephemerally, and nothing is generated', async () => {
    const before = h.engine.calls.length;
    const i = h.double.slashCommand(storyJson(h), { prompt: 'the b1tch went home' }, h.double.person('fin'));
    const callback = await callbackOf(h.double, i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toBe(`⚠️ ${FILTERED_PROMPT_MESSAGE}`);
    expect(h.engine.calls.length).toBe(before);
  });

  test('a flagged seed is refused too (the footer would show it)', async () => {
    const i = h.double.slashCommand(storyJson(h), { prompt: 'Once', seed: 'shit' }, h.double.person('gus'));
    const callback = await callbackOf(h.double, i.token);
    expect(callback.json.data.content).toBe(`⚠️ ${FILTERED_PROMPT_MESSAGE}`);
  });

  test('after close the plugin leaves everything to the host', async () => {
    const other = createStorytellerPlugin({ engine: new ScriptedEngine(STORY), defaultModel: FAKE_MODEL.name });
    await other.close();
    const seen: Array<Promise<boolean>> = [];
    const listener = (i: Parameters<StorytellerPlugin['handleInteraction']>[0]) => void seen.push(other.handleInteraction(i));
    h.client.on(Events.InteractionCreate, listener);
    try {
      h.double.slashCommand(storyJson(h), { prompt: 'Once' }, h.double.person('hal'));
      await h.double.gateway.until(() => seen.length === 1, 5_000, 'the interaction');
      expect(await seen[0]).toBe(false);
    } finally {
      h.client.off(Events.InteractionCreate, listener);
    }
  });
});

describe('the filter switched off', () => {
  let h: Host;
  beforeAll(async () => {
    h = await startHost(false);
  });
  afterAll(() => stopHost(h));

  test('the story is shown as written and the prompt is not refused', async () => {
    const i = h.double.slashCommand(storyJson(h), { prompt: 'the b1tch went home', seed: 's' }, h.double.person('ivy'));
    const edit = await editOf(h.double, i.token);
    expect(edit.json.content).toContain(STORY);
  });
});

