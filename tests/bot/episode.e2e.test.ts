// End to end: /episode through the real discord.js client, the loopback double of Discord and the real
// story engine on the shipped long-dependency LSTM. The answer is the one the library gives for the same
// prompt, and the reply colours the whole episode (the person's filler too) by the forget gate.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import { DISCORD_MESSAGE_LIMIT } from '../../src/discord/ansi-gates.ts';
import * as episode from '../../src/discord/commands/episode.ts';
import { answerOf, byWord, episodeOptions, readEpisode } from '../../src/discord/commands/episode.ts';
import { createStorytellerPlugin, type StorytellerPlugin } from '../../src/discord/plugin.ts';
import { GATES_PNG_NAME } from '../../src/discord/replies.ts';
import { EXAMPLE_FILLER } from '../../src/demos/long-dependency-examples.ts';
import { generateText } from '../../src/generation/generator.ts';
import { createStoryEngine } from '../../src/generation/worker-engine.ts';
import type { StoryEngine } from '../../src/generation/story-engine.ts';
import { loadModel } from '../../src/models.ts';
import { pluginRouter } from '../support/plugin-router.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';

const EPHEMERAL = 64;
/** Filler of an early-reader episode the shipped long-dep-lstm was trained on (corpora/long-dependency/train.txt). */
const READER_FILLER =
  '"I see Doug," said Sally. "Look, Doug, look," said Father. Oh, oh, oh! Look, Sally, look. Oh, oh! Sally has a red swing. Doug can look. Jane saw the swing. Father has a new car. Spot finds the boat. "Come, Jane, come," said Father. Sally looks at Puff. Jane and Doug run. Come, Sally, come!';
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

let double: DiscordDouble;
let bot: RunningBot;
let engines: StoryEngine[] = [];
let plugins: StorytellerPlugin[] = [];
let current: StorytellerPlugin;
let withModel: string;
let empty: string;

const editOf = (token: string) =>
  double.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`) && r.status === 200, 60_000, 'edit of @original');
const callbackOf = (token: string) =>
  double.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`), 10_000, 'interaction callback');

beforeAll(async () => {
  withModel = mkdtempSync(join(tmpdir(), 'episode-models-'));
  copyFileSync('models/long-dep-lstm.safetensors', join(withModel, 'long-dep-lstm.safetensors'));
  empty = mkdtempSync(join(tmpdir(), 'episode-no-models-'));
  const make = (modelsDir: string) => {
    const engine = createStoryEngine({ modelsDir, workers: 1 });
    engines.push(engine);
    return createStorytellerPlugin({ engine, modelsDir, cooldownSeconds: 0, maxConcurrent: 2, defaultModel: 'long-dep-lstm' });
  };
  plugins = [make(withModel), make(empty)];
  current = plugins[0];
  const router = pluginRouter(() => current);
  double = await startDiscordDouble({ heartbeatIntervalMs: 250 });
  bot = await startBot({ token: double.token, plugin: router, apiBase: double.apiBase });
});

afterAll(async () => {
  for (const p of plugins) await p.close();
  for (const e of engines) await e.close();
  await bot?.stop();
  await double?.close();
  for (const d of [withModel, empty]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('/episode', () => {
  test('builds "I grew up in COUNTRY. FILLER I speak fluent" from the options, with the README example as default', () => {
    expect(readEpisode(null, null).prompt).toBe(`I grew up in France. ${EXAMPLE_FILLER} I speak fluent`);
    expect(readEpisode('  Japan ', 'We   played.').prompt).toBe('I grew up in Japan. We played. I speak fluent');
    expect(readEpisode('Spain', '').prompt).toBe('I grew up in Spain. I speak fluent');
    expect(answerOf(' Japanese. I grew up')).toBe('Japanese');
  });

  test('colours the message word by word: a word is its characters with their mean gates', () => {
    const run = { model: 'm', prime: '', text: 'I am.', tokens: ['I', ' ', 'a', 'm', '.'], seed: 's', cut: false, options: { length: 5, temperature: 0, topK: 0, topP: 1, stop: 'none' as const, finish: false }, forget: [[1, 0], [0.5, 0], [0, 1], [0.5, 1], [1, 0.5]] };
    const words = byWord(run);
    expect(words.tokens).toEqual(['I ', 'am.']);
    expect(words.forget).toEqual([[0.75, 0], [0.5, 2.5 / 3]]);
  });

  test('answers as the library does for the same prompt and colours the whole episode, filler included', async () => {
    current = plugins[0];
    const i = double.slashCommand(episode.data.toJSON(), { country: 'Japan', filler: READER_FILLER }, double.person('ana'));
    expect((await callbackOf(i.token)).json.type).toBe(5);
    const edit = await editOf(i.token);
    const content = edit.json.content as string;
    const lm = await loadModel(join(withModel, 'long-dep-lstm.safetensors'));
    const expected = answerOf(generateText(lm, episodeOptions(readEpisode('Japan', READER_FILLER))).text);
    expect(expected.length).toBeGreaterThan(0);
    expect(content.split('\n')[0]).toBe(`Grew up in **Japan** · ${READER_FILLER.length + 16} characters later: "I speak fluent **${expected}**" · coloured word by word, every character in the picture`);
    // The filler's words are in the coloured block: the gates of the prompt are shown, not only the answer's.
    expect(stripAnsi(content)).toContain(`I grew up in Japan. ${READER_FILLER} I speak fluent ${expected}.`);
    expect(content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(edit.files.map((f) => f.filename)).toEqual([GATES_PNG_NAME]);
    const png = PNG.sync.read(edit.files[0].data);
    expect(png.width).toBeGreaterThan(0);
  });

  test('the shipped LSTM names the country it read across early-reader filler', async () => {
    current = plugins[0];
    const i = double.slashCommand(episode.data.toJSON(), { country: 'Japan', filler: READER_FILLER }, double.person('bo'));
    const content = (await editOf(i.token)).json.content as string;
    expect(content.split('\n')[0]).toMatch(/"I speak fluent \*\*Japanese\*\*"/);
  });

  test('with no long-dependency model installed it says which models it needs, ephemerally', async () => {
    current = plugins[1];
    const i = double.slashCommand(episode.data.toJSON(), {}, double.person('cy'));
    const callback = await callbackOf(i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/no long-dependency model is installed \(long-dep-prose-lstm or long-dep-lstm\)/);
  });

  test('an unknown model is refused by name, not opened as a path', async () => {
    current = plugins[0];
    const i = double.slashCommand(episode.data.toJSON(), { model: '../models/tales-char' }, double.person('di'));
    const callback = await callbackOf(i.token);
    expect(callback.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.json.data.content).toMatch(/unknown model '\.\.\/models\/tales-char'/);
  });
});
