// The deploy step against the loopback double: PUT of the plugin's command list, with the installed models
// (read from the models folder) as choices.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deployCommands, main } from '../../src/bot/deploy.ts';
import { commands } from '../../src/discord/commands/index.ts';
import { commandBodies, createStorytellerPlugin, MAX_CHOICES } from '../../src/discord/plugin.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FakeStoryEngine } from '../support/fake-story-engine.ts';
import { scratchDir } from '../support/scratch.ts';

let double: DiscordDouble;
let modelsDir: string;
let emptyDir: string;
beforeAll(async () => {
  double = await startDiscordDouble();
  const root = scratchDir('deploy');
  modelsDir = path.join(root, 'models');
  emptyDir = path.join(root, 'empty');
  mkdirSync(modelsDir);
  mkdirSync(emptyDir);
  // Choices come from file names; the files are never opened by the deploy step.
  for (const name of ['fake-char', 'fake-word', 'fake-word.best']) writeFileSync(path.join(modelsDir, `${name}.safetensors`), '');
});
afterAll(async () => {
  await double?.close();
});

const modelChoices = (c: { options?: ReadonlyArray<{ name: string }> }) => (c.options?.find((o) => o.name === 'model') as { choices?: unknown[] } | undefined)?.choices;

describe('the plugin\'s commands', () => {
  test('declares every command once: story, gates, chat, model, demo, episode', () => {
    expect(commandBodies(commands, ['fake-char']).map((c) => c.name)).toEqual(['story', 'gates', 'chat', 'model', 'demo', 'episode']);
  });

  test('every model option offers the models in the folder (not the .best copies) as choices', async () => {
    const plugin = createStorytellerPlugin({ engine: new FakeStoryEngine(), modelsDir });
    const withModel = plugin.commands.filter((c) => modelChoices(c));
    expect(withModel.map((c) => c.name)).toEqual(['story', 'gates', 'chat', 'episode']);
    for (const c of withModel) expect(modelChoices(c)).toEqual([{ name: 'fake-char', value: 'fake-char' }, { name: 'fake-word', value: 'fake-word' }]);
    await plugin.close();
  });

  test(`offers at most ${MAX_CHOICES} choices, Discord's limit`, () => {
    const story = commandBodies(commands, Array.from({ length: 40 }, (_, i) => `m${i}`)).find((c) => c.name === 'story')!;
    expect(modelChoices(story)).toHaveLength(MAX_CHOICES);
  });

  test('leaves the command modules themselves unchanged', () => {
    commandBodies(commands, ['fake-char']);
    expect(modelChoices(commands[0].data.toJSON())).toBeUndefined();
  });
});

describe('deployCommands', () => {
  const body = commandBodies(commands, ['fake-char']);

  test('PUTs the global command list, the application id read from the token', async () => {
    const result = await deployCommands({ token: double.token, apiBase: double.apiBase, commands: body });
    const put = await double.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${double.applicationId}/commands`);
    expect(put.status).toBe(200);
    expect(put.headers.authorization).toBe(`Bot ${double.token}`);
    expect(put.json.map((c: { name: string }) => c.name)).toEqual(['story', 'gates', 'chat', 'model', 'demo', 'episode']);
    expect(result).toEqual({ count: 6, scope: 'global' });
  });

  test('with a guild id, PUTs the guild-scoped list', async () => {
    const result = await deployCommands({ token: double.token, apiBase: double.apiBase, guildId: double.guildId, commands: body });
    await double.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${double.applicationId}/guilds/${double.guildId}/commands`);
    expect(result.scope).toBe(`guild ${double.guildId}`);
  });

  test('the deploy entry registers the plugin\'s commands and reports success on one line', async () => {
    const lines: string[] = [];
    const code = await main([], { DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase, DISCORD_GUILD_ID: '42', STORYTELLER_MODELS_DIR: modelsDir }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toEqual(['deployed 6 commands (guild 42)']);
    const put = double.commands.get('42') as Array<{ name: string; options?: Array<{ name: string }> }>;
    expect(put.map((c) => c.name)).toEqual(['story', 'gates', 'chat', 'model', 'demo', 'episode']);
    expect(modelChoices(put[0])).toEqual([{ name: 'fake-char', value: 'fake-char' }, { name: 'fake-word', value: 'fake-word' }]);
  });

  test('the deploy entry fails on one line, without the token, when Discord rejects it', async () => {
    const lines: string[] = [];
    const bad = double.token.replace(/.$/, 'Z');
    const code = await main([], { DISCORD_TOKEN: bad, DISCORD_API_BASE: double.apiBase, STORYTELLER_MODELS_DIR: modelsDir }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(bad);
    expect(lines[0]).toMatch(/Unauthorized/);
  });

  test('the deploy entry refuses an unknown flag as the storyteller command does, deploying nothing', async () => {
    const lines: string[] = [];
    const puts = double.requests.filter((r) => r.method === 'PUT').length;
    const code = await main(['--guild', '42'], { DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase, STORYTELLER_MODELS_DIR: modelsDir }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines).toEqual(['unknown flag --guild (see --help)']);
    expect(double.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
  });

  test('the deploy entry prints its usage for --help, without a token', async () => {
    const lines: string[] = [];
    expect(await main(['--help'], {}, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/^usage: npm run deploy-commands\n[\s\S]*DISCORD_GUILD_ID/);
  });

  test('the deploy entry refuses to deploy when no models are installed', async () => {
    const lines: string[] = [];
    const code = await main([], { DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase, STORYTELLER_MODELS_DIR: emptyDir }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines).toEqual([`no models in ${emptyDir}; train one first (the model option lists them)`]);
  });
});
