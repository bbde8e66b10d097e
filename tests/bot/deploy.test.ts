// The deploy step against the loopback double: PUT of the command list, with the installed models as choices.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../src/bot/commands/index.ts';
import { commandPayloads, deployCommands, main, MAX_CHOICES } from '../../src/bot/deploy.ts';
import type { ModelSummary } from '../../src/generation/story-engine.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

const WORD_MODEL: ModelSummary = { ...FAKE_MODEL, name: 'fake-word', level: 'word' };

let double: DiscordDouble;
beforeAll(async () => {
  double = await startDiscordDouble();
});
afterAll(async () => {
  await double?.close();
});

describe('commandPayloads', () => {
  test('declares every command once: story, gates, chat, model', () => {
    expect(commandPayloads([FAKE_MODEL]).map((c) => c.name)).toEqual(['story', 'gates', 'chat', 'model', 'demo']);
  });

  test('every model option offers the installed models as choices', () => {
    for (const c of commandPayloads([FAKE_MODEL, WORD_MODEL])) {
      const opt = c.options?.find((o) => o.name === 'model') as { choices?: unknown[] } | undefined;
      if (opt) expect(opt.choices).toEqual([{ name: 'fake-char', value: 'fake-char' }, { name: 'fake-word', value: 'fake-word' }]);
    }
    expect(commandPayloads([FAKE_MODEL]).filter((c) => c.options?.some((o) => o.name === 'model'))).toHaveLength(3);
  });

  test(`offers at most ${MAX_CHOICES} choices, Discord's limit`, () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...FAKE_MODEL, name: `m${i}` }));
    const story = commandPayloads(many).find((c) => c.name === 'story')!;
    expect((story.options?.find((o) => o.name === 'model') as { choices: unknown[] }).choices).toHaveLength(MAX_CHOICES);
  });

  test('leaves the command modules themselves unchanged', () => {
    commandPayloads([FAKE_MODEL]);
    const json = commands[0].data.toJSON();
    expect((json.options?.find((o) => o.name === 'model') as { choices?: unknown[] }).choices).toBeUndefined();
  });
});

describe('deployCommands', () => {
  test('PUTs the global command list, the application id read from the token', async () => {
    const result = await deployCommands({ token: double.token, apiBase: double.apiBase, models: [FAKE_MODEL] });
    const put = await double.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${double.applicationId}/commands`);
    expect(put.status).toBe(200);
    expect(put.headers.authorization).toBe(`Bot ${double.token}`);
    expect(put.json.map((c: { name: string }) => c.name)).toEqual(['story', 'gates', 'chat', 'model', 'demo']);
    expect(result).toEqual({ count: 5, scope: 'global' });
  });

  test('with a guild id, PUTs the guild-scoped list', async () => {
    const result = await deployCommands({ token: double.token, apiBase: double.apiBase, guildId: double.guildId, models: [FAKE_MODEL] });
    await double.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${double.applicationId}/guilds/${double.guildId}/commands`);
    expect(result.scope).toBe(`guild ${double.guildId}`);
  });

  test('the deploy entry reports success on one line and closes the engine', async () => {
    const lines: string[] = [];
    let closed = false;
    const engine = new FakeStoryEngine();
    engine.close = async () => {
      closed = true;
    };
    const code = await main({ DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase }, { createEngine: async () => engine, write: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines).toEqual(['deployed 5 commands (global)']);
    expect(closed).toBe(true);
  });

  test('the deploy entry fails on one line, without the token, when Discord rejects it', async () => {
    const lines: string[] = [];
    const bad = double.token.replace(/.$/, 'Z');
    const code = await main({ DISCORD_TOKEN: bad, DISCORD_API_BASE: double.apiBase }, { createEngine: async () => new FakeStoryEngine(), write: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(bad);
    expect(lines[0]).toMatch(/Unauthorized/);
  });

  test('the deploy entry refuses to deploy when no models are installed', async () => {
    const lines: string[] = [];
    const code = await main({ DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase }, { createEngine: async () => new FakeStoryEngine([]), write: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^no models in models; train one first/);
  });
});
