// End to end: the project's host bot (a real discord.js client with the storyteller plugin) logs in to the
// loopback double of Discord and serves slash commands and buttons with the deterministic fake engine.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import * as chat from '../../src/discord/commands/chat.ts';
import * as gates from '../../src/discord/commands/gates.ts';
import * as model from '../../src/discord/commands/model.ts';
import * as story from '../../src/discord/commands/story.ts';
import { createStorytellerPlugin, type StorytellerPlugin } from '../../src/discord/plugin.ts';
import { STORY_BUTTON } from '../../src/discord/replies.ts';
import { UserError } from '../../src/errors.ts';
import type { GenerateOptions, GenerationEvent } from '../../src/generation/events.ts';
import { heatmapScene, type GateHeatmapInput } from '../../src/render/heatmap.ts';
import { rasterizeScene } from '../../src/render/scene-raster.ts';
import { INTENT, startDiscordDouble, type DiscordDouble, type RecordedRequest } from '../support/discord-double/index.ts';
import { message } from '../support/discord-double/payloads.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EPHEMERAL = 64;
const BROKEN = { ...FAKE_MODEL, name: 'broken-char', path: '/nowhere/broken-char.safetensors' };

/** The fake engine, plus a model whose generation fails the way a bad request does, and a recording renderer. */
class TestEngine extends FakeStoryEngine {
  renders: GateHeatmapInput[] = [];
  constructor() {
    super([FAKE_MODEL, BROKEN]);
  }
  async renderGateHeatmap(input: GateHeatmapInput): Promise<Uint8Array> {
    this.renders.push(input);
    return rasterizeScene(heatmapScene(input)).toPng();
  }
  override async *generate(name: string, options: Partial<GenerateOptions>, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    if (name === BROKEN.name) throw new UserError('unknown characters in the prompt: é');
    yield* super.generate(name, options, signal);
  }
}

async function fakeStoryText(options: Partial<GenerateOptions>): Promise<string> {
  for await (const ev of new FakeStoryEngine().generate(FAKE_MODEL.name, options)) if (ev.type === 'end') return ev.text;
  throw new Error('no end event');
}

let double: DiscordDouble;
let engine: TestEngine;
let plugin: StorytellerPlugin;
let bot: RunningBot;

const editOf = (d: DiscordDouble, token: string) =>
  d.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`) && r.status === 200, 10_000, 'edit of @original');
const callbackOf = (d: DiscordDouble, token: string) =>
  d.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`), 10_000, 'interaction callback');

function buttonIds(r: RecordedRequest): string[] {
  return (r.json.components as Array<{ components: Array<{ custom_id: string }> }>).flatMap((row) => row.components.map((c) => c.custom_id));
}

beforeAll(async () => {
  double = await startDiscordDouble({ heartbeatIntervalMs: 250 });
  engine = new TestEngine();
  plugin = createStorytellerPlugin({ engine, defaultModel: FAKE_MODEL.name, cooldownSeconds: 60, maxConcurrent: 4 });
  bot = await startBot({ token: double.token, plugin, apiBase: double.apiBase });
});

afterAll(async () => {
  await plugin?.close();
  await bot?.stop();
  await double?.close();
});

describe('logging in', () => {
  test('the client identifies with the token and non-privileged intents only (no Message Content)', () => {
    const [session] = double.gateway.identified;
    expect(session.identify?.token).toBe(double.token);
    expect(session.identify?.intents).toBe(INTENT.Guilds | INTENT.GuildMessages | INTENT.DirectMessages);
    expect(session.query.get('v')).toBe('10');
  });

  test('the client becomes ready and sees the guild from GUILD_CREATE', () => {
    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.user.id).toBe(double.applicationId);
    expect(bot.client.guilds.cache.has(double.guildId)).toBe(true);
  });

  test('heartbeats are sent and acknowledged', async () => {
    await double.gateway.until(() => double.gateway.identified[0].heartbeats >= 1, 5_000, 'a heartbeat');
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.client.ws.ping).toBeGreaterThanOrEqual(0);
  });
});

describe('/story', () => {
  test('defers, then edits the reply with the story, a reproducible footer and three buttons', async () => {
    const user = double.person('ana');
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'Once upon a time', length: 40, seed: 'abc' }, user);
    const callback = await callbackOf(double, i.token);
    expect(callback.json.type).toBe(5);
    const edit = await editOf(double, i.token);
    const expected = await fakeStoryText({ prime: 'Once upon a time', length: 40, seed: 'abc' });
    expect(edit.json.content).toContain(`**Once upon a time**${expected}`);
    expect(edit.json.content).toContain(`-# ${FAKE_MODEL.name} · seed \`abc\``);
    expect(edit.json.allowed_mentions).toEqual({ parse: [] });
    expect(buttonIds(edit)).toEqual([STORY_BUTTON.regenerate, STORY_BUTTON.continue, STORY_BUTTON.gates]);
  });

  test('passes the options to the engine', async () => {
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'Spot', length: 12, temperature: 0.5, top_k: 3, top_p: 0.9, seed: 's1' }, double.person('bo'));
    await editOf(double, i.token);
    expect(engine.calls.at(-1)).toEqual({
      model: FAKE_MODEL.name,
      options: { prime: 'Spot', length: 12, temperature: 0.5, topK: 3, topP: 0.9, seed: 's1', stop: 'paragraph', finish: true, trace: false },
    });
  });

  test('show_gates replies with the gate view and its heatmap', async () => {
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'Jane', length: 30, show_gates: true }, double.person('cy'));
    const edit = await editOf(double, i.token);
    expect(edit.multipart).toBe(true);
    expect(edit.json.content).toContain('```ansi');
    expect(engine.calls.at(-1)?.options.trace).toBe(true);
  });

  test('an option outside its range is refused ephemerally without generating', async () => {
    const before = engine.calls.length;
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'x', length: 5000 }, double.person('di'));
    const callback = await callbackOf(double, i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/length must be a whole number from 1 to 1000 \(got 5000\)/);
    expect(engine.calls.length).toBe(before);
  });

  test('an unknown model is refused ephemerally, listing the installed ones', async () => {
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'x', model: 'nope' }, double.person('ed'));
    const callback = await callbackOf(double, i.token);
    expect(callback.json.data).toMatchObject({ flags: EPHEMERAL });
    expect(callback.json.data.content).toContain(`available: ${FAKE_MODEL.name}`);
  });

  test('an engine error after deferring replaces the placeholder with an ephemeral note', async () => {
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'café', model: BROKEN.name }, double.person('fi'));
    const followUp = await double.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/webhooks/${double.applicationId}/${i.token}`));
    expect(followUp.json).toMatchObject({ flags: EPHEMERAL });
    expect(followUp.json.content).toContain('unknown characters in the prompt');
    expect(double.requestsFor(i).some((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'))).toBe(true);
  });

  test('a second story within the cooldown is refused with the seconds to wait', async () => {
    const user = double.person('gus');
    const first = double.slashCommand(story.data.toJSON(), { prompt: 'a', length: 5 }, user);
    await editOf(double, first.token);
    const second = double.slashCommand(story.data.toJSON(), { prompt: 'b', length: 5 }, user);
    const callback = await callbackOf(double, second.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/try again in (59|60) s/);
  });

  test('a 429 with Retry-After on the edit is waited out and the edit retried', async () => {
    double.rateLimitOnce('PATCH', /\/messages\/@original$/, 1);
    const started = Date.now();
    const i = double.slashCommand(story.data.toJSON(), { prompt: 'Run', length: 10 }, double.person('hal'));
    const edit = await editOf(double, i.token);
    const edits = double.requestsFor(i).filter((r) => r.method === 'PATCH');
    expect(edits.map((r) => r.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(edit.json.content).toContain('**Run**');
  });
});

describe('story buttons', () => {
  let messageId: string;
  const prompt = 'See Spot';

  beforeAll(async () => {
    const i = double.slashCommand(story.data.toJSON(), { prompt, length: 20, seed: 'orig' }, double.person('ivy'));
    await editOf(double, i.token);
    messageId = double.interactions.get(i.token)!.originalId!;
  });

  test('regenerate writes a new story from the same prompt with a fresh seed', async () => {
    const i = double.pressButton(messageId, STORY_BUTTON.regenerate, double.person('jo'));
    const edit = await editOf(double, i.token);
    expect(engine.calls.at(-1)?.options).toMatchObject({ prime: prompt, length: 20 });
    expect(engine.calls.at(-1)?.options.seed).toBeUndefined();
    expect(edit.json.content).toContain(`**${prompt}**`);
  });

  test('continue primes the engine with the story so far', async () => {
    const before = await fakeStoryText({ prime: prompt, length: 20, seed: 'orig' });
    const i = double.pressButton(messageId, STORY_BUTTON.continue, double.person('kai'));
    const edit = await editOf(double, i.token);
    expect(engine.calls.at(-1)?.options.prime).toBe(prompt + before);
    expect(edit.json.content.startsWith('**…**')).toBe(true);
  });

  test('show gates replays the same seed with a gate trace and attaches a PNG heatmap', async () => {
    const i = double.pressButton(messageId, STORY_BUTTON.gates, double.person('lu'));
    const edit = await editOf(double, i.token);
    expect(engine.calls.at(-1)?.options).toMatchObject({ prime: prompt, seed: 'orig', trace: true });
    expect(edit.multipart).toBe(true);
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0].filename).toMatch(/\.png$/);
    expect(edit.files[0].data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('a button on a story the bot no longer remembers gets an ephemeral explanation', async () => {
    // A message the bot has no record of, as after a restart.
    const stranger = message(double.channelId, double.guildId, double.botUser, 'an old story');
    double.messages.set(stranger.id, stranger);
    const i = double.pressButton(stranger.id, STORY_BUTTON.continue, double.person('mo'));
    const callback = await callbackOf(double, i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/run \/story again/);
  });
});

describe('/gates', () => {
  test('sends a multipart edit with the ansi block (within 2,000 characters) and the heatmap PNG', async () => {
    const i = double.slashCommand(gates.data.toJSON(), { prompt: 'Doug', length: 400, seed: 'g' }, double.person('ned'));
    const edit = await editOf(double, i.token);
    expect(edit.multipart).toBe(true);
    expect(edit.json.content).toMatch(/^Forget gate, layer 2 of 2/);
    expect(edit.json.content).toContain('```ansi\n');
    expect(edit.json.content).toMatch(/\u001b\[0;3\dm/);
    expect(edit.json.content.length).toBeLessThanOrEqual(2000);
    expect(edit.files[0].data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(edit.json.attachments).toEqual([expect.objectContaining({ id: '0' })]);
    expect(edit.files[0].field).toBe('files[0]');
  });

  test('the heatmap PNG is drawn by the engine (its worker pool), from the tokens and gates shown', async () => {
    const before = engine.renders.length;
    const i = double.slashCommand(gates.data.toJSON(), { prompt: 'Doug', length: 30, seed: 'w' }, double.person('nia'));
    const edit = await editOf(double, i.token);
    expect(engine.renders.length).toBe(before + 1);
    const input = engine.renders.at(-1)!;
    expect(input.tokens.join('')).toBe(await fakeStoryText({ prime: 'Doug', length: 30, seed: 'w' }));
    expect(input.values).toHaveLength(30);
    expect(Buffer.compare(edit.files[0].data, Buffer.from(rasterizeScene(heatmapScene(input)).toPng()))).toBe(0);
  });

  test('the layer option picks the layer whose gates are shown', async () => {
    const i = double.slashCommand(gates.data.toJSON(), { prompt: 'Doug', length: 20, layer: 1 }, double.person('oz'));
    const edit = await editOf(double, i.token);
    expect(edit.json.content).toMatch(/^Forget gate, layer 1 of 2/);
  });
});

describe('/chat and /model', () => {
  test('/chat continues the message and shows it in bold', async () => {
    const i = double.slashCommand(chat.data.toJSON(), { message: 'Hello <@1> @everyone' }, double.person('pia'));
    const edit = await editOf(double, i.token);
    expect(engine.calls.at(-1)?.options).toMatchObject({ prime: 'Hello someone everyone', stop: 'paragraph' });
    expect(edit.json.content).toContain('**Hello someone everyone**');
    expect(edit.json.allowed_mentions).toEqual({ parse: [] });
  });

  test('/model lists the models with their card figures', async () => {
    const i = double.slashCommand(model.data.toJSON(), {}, double.person('quinn'));
    const callback = await callbackOf(double, i.token);
    expect(callback.json.type).toBe(4);
    const content: string = callback.json.data.content;
    expect(content).toContain(`**${FAKE_MODEL.name}** (default)`);
    expect(content).toContain(`${FAKE_MODEL.layers}×${FAKE_MODEL.hiddenSize}`);
    expect(content).toContain(`val ${FAKE_MODEL.valBpc!.toFixed(3)} bpc`);
    expect(content).toContain(`${FAKE_MODEL.steps} steps`);
    expect(callback.json.data.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('interactions that are not the plugin\'s', () => {
  test('handleInteraction resolves false for a command that is not the plugin\'s; the host says to redeploy', async () => {
    const seen: Array<Promise<boolean>> = [];
    const listener = (i: Parameters<StorytellerPlugin['handleInteraction']>[0]) => {
      if (i.isChatInputCommand() && i.commandName === 'ping') seen.push(plugin.handleInteraction(i));
    };
    bot.client.on('interactionCreate', listener);
    try {
      const i = double.slashCommand({ name: 'ping' }, {}, double.person('rex'));
      await double.gateway.until(() => seen.length === 1, 5_000, 'the foreign command');
      expect(await seen[0]).toBe(false);
      // The project's bot has no commands of its own: an unknown one is stale, and it says so.
      const callback = await callbackOf(double, i.token);
      expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(callback.json.data.content).toBe('I no longer know /ping; the commands need redeploying (npm run deploy-commands).');
      expect(double.requestsFor(i)).toHaveLength(1);
    } finally {
      bot.client.off('interactionCreate', listener);
    }
  });

  test('a button of another component resolves false', async () => {
    const seen: Array<Promise<boolean>> = [];
    const listener = (i: Parameters<StorytellerPlugin['handleInteraction']>[0]) => {
      if (i.isButton() && i.customId === 'poll:yes') seen.push(plugin.handleInteraction(i));
    };
    bot.client.on('interactionCreate', listener);
    try {
      const msg = message(double.channelId, double.guildId, double.botUser, 'a poll');
      double.messages.set(msg.id, msg);
      const i = double.pressButton(msg.id, 'poll:yes', double.person('sal'));
      await double.gateway.until(() => seen.length === 1, 5_000, 'the foreign button');
      expect(await seen[0]).toBe(false);
      expect(double.requestsFor(i)).toEqual([]);
    } finally {
      bot.client.off('interactionCreate', listener);
    }
  });
});
