// End to end: /demo through the real discord.js client and the loopback double of Discord. The cheap
// demos are computed in the bot; long-dependency runs the real `storyteller demo` child process, once
// against an empty models folder and once against tiny trained models.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import * as demo from '../../src/discord/commands/demo.ts';
import { ACCURACY_PNG_NAME, demoReply } from '../../src/discord/demo-reply.ts';
import { DISCORD_MESSAGE_LIMIT } from '../../src/discord/ansi-gates.ts';
import { createStorytellerPlugin, type StorytellerPlugin } from '../../src/discord/plugin.ts';
import type { DemoData } from '../../src/demos/demo-runner.ts';
import { pluginRouter } from '../support/plugin-router.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';
import { trainTinyLongDependencyModels } from '../tui/tiny-demo-models.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EPHEMERAL = 64;

let double: DiscordDouble;
let bot: RunningBot;
let plugins: Record<string, StorytellerPlugin> = {};
let current: StorytellerPlugin;
let empty: string;
let tiny: string;

const editOf = (token: string, timeoutMs = 10_000) =>
  double.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`) && r.status === 200, timeoutMs, 'edit of @original');
const callbackOf = (token: string) =>
  double.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`), 10_000, 'interaction callback');

beforeAll(async () => {
  empty = mkdtempSync(join(tmpdir(), 'bot-no-models-'));
  tiny = trainTinyLongDependencyModels(['lstm', 'rnn']);
  double = await startDiscordDouble({ heartbeatIntervalMs: 250 });
  // One plugin per models folder; the host forwards to the one in use.
  const make = (modelsDir: string) =>
    createStorytellerPlugin({ engine: new FakeStoryEngine(), defaultModel: FAKE_MODEL.name, modelsDir, cooldownSeconds: 60, maxConcurrent: 4 });
  plugins = { [empty]: make(empty), [tiny]: make(tiny) };
  current = plugins[empty];
  const router = pluginRouter(() => current);
  bot = await startBot({ token: double.token, plugin: router, apiBase: double.apiBase });
});

afterAll(async () => {
  for (const p of Object.values(plugins)) await p.close();
  await bot?.stop();
  await double?.close();
  for (const d of [empty, tiny]) if (d) rmSync(d, { recursive: true, force: true });
});

/** The models folder the bot reads from now on. */
const useModels = (dir: string) => (current = plugins[dir]);

describe('/demo', () => {
  test('is registered with a required choice of the four demos', () => {
    const json = demo.data.toJSON();
    const name = json.options?.find((o) => o.name === 'name') as { required?: boolean; choices?: Array<{ value: string }> };
    expect(name.required).toBe(true);
    expect(name.choices?.map((c) => c.value)).toEqual(['long-dependency', 'gradients', 'prices', 'doug-jane-spot']);
  });

  test('gradients defers, then edits the reply with the table showing 2^50 in a code block', async () => {
    useModels(empty);
    const i = double.slashCommand(demo.data.toJSON(), { name: 'gradients' }, double.person('ana'));
    const callback = await callbackOf(i.token);
    expect(callback.json.type).toBe(5);
    const edit = await editOf(i.token);
    const content = edit.json.content as string;
    expect(content).toContain('```\n(a) one tanh unit');
    expect(content).toContain(`d(h50)/d(h0) = ${(2 ** 50).toExponential(2)}`);
    expect(content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(edit.json.allowed_mentions).toEqual({ parse: [] });
  });

  test('long-dependency without its models says how to train them, ephemerally and without deferring', async () => {
    useModels(empty);
    const i = double.slashCommand(demo.data.toJSON(), { name: 'long-dependency' }, double.person('bo'));
    const callback = await callbackOf(i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/long-dependency models are not trained yet .*storyteller demo long-dependency --train/);
  });

  test('long-dependency with trained models edits in the bucket table, the memory cells and the accuracy plot', async () => {
    useModels(tiny);
    const i = double.slashCommand(demo.data.toJSON(), { name: 'long-dependency' }, double.person('cy'));
    expect((await callbackOf(i.token)).json.type).toBe(5);
    const edit = await editOf(i.token, 120_000);
    const content = edit.json.content as string;
    expect(content).toMatch(/```\ngenerator filler: .*\ngap \(chars\)\s+n\s+lstm acc\s+lstm p\s+rnn acc\s+rnn p/);
    expect(content).toContain('memory cells');
    expect(content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(edit.multipart).toBe(true);
    expect(edit.files.map((f) => f.filename)).toEqual([ACCURACY_PNG_NAME]);
    expect(edit.files[0].data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('a second demo right after the first is refused by the per-user cooldown', async () => {
    const user = double.person('di');
    const first = double.slashCommand(demo.data.toJSON(), { name: 'prices' }, user);
    await editOf(first.token);
    const again = double.slashCommand(demo.data.toJSON(), { name: 'prices' }, user);
    const callback = await callbackOf(again.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/try again in \d+ s/);
  });
});

describe('the /demo message', () => {
  test('a report longer than a message is cut at a line and says so', () => {
    const long: DemoData = { name: 'prices', prices: { steps: 1, lossBefore: 1, lossAfter: 0, companies: [], weights: { weightIh: [], weightHh: [], biasIh: [], biasHh: [] } }, notes: Array.from({ length: 200 }, (_, k) => `note number ${k}`) };
    const { content } = demoReply(long);
    expect(content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(content).toMatch(/note: note number \d+\n… \(cut to fit; run "storyteller demo" for the whole report\)\n```$/);
  });
});
