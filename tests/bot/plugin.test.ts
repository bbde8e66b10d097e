// createStorytellerPlugin without Discord: its options are checked like a library's, its intents are
// non-privileged unless chat channels are asked for, and it closes only the engine it made.
import { GatewayIntentBits, Partials } from 'discord.js';
import { describe, expect, test } from 'vitest';
import { createStorytellerPlugin, storytellerIntents, storytellerPartials } from '../../src/discord/index.ts';
import { UserError } from '../../src/errors.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

describe('createStorytellerPlugin options', () => {
  test.each([
    [{ cooldownSeconds: -1 }, /^cooldownSeconds must be a number >= 0 \(got -1\)$/],
    [{ maxConcurrent: 0 }, /^maxConcurrent must be a whole number >= 1 \(got 0\)$/],
    [{ workers: 1.5 }, /^workers must be a whole number >= 1 \(got 1.5\)$/],
  ])('%j is refused with a one-line UserError', (options, message) => {
    expect(() => createStorytellerPlugin({ engine: new FakeStoryEngine(), ...options })).toThrow(UserError);
    expect(() => createStorytellerPlugin({ engine: new FakeStoryEngine(), ...options })).toThrow(message);
  });

  test('ready() names the default model, also one the host gave by path under its own name', async () => {
    const engine = new FakeStoryEngine();
    await expect(createStorytellerPlugin({ engine, defaultModel: FAKE_MODEL.name }).ready()).resolves.toMatchObject({ name: FAKE_MODEL.name, cell: 'lstm' });
    const byPath = createStorytellerPlugin({ engine, defaultModel: 'bedtime', models: [{ name: 'bedtime', path: FAKE_MODEL.path }] });
    await expect(byPath.ready()).resolves.toMatchObject({ name: 'bedtime', path: FAKE_MODEL.path });
  });

  test('close() leaves an engine it was given to its owner, and can be called twice', async () => {
    const engine = new FakeStoryEngine();
    let closed = 0;
    engine.close = async () => void closed++;
    const plugin = createStorytellerPlugin({ engine });
    await plugin.close();
    await plugin.close();
    expect(closed).toBe(0);
  });
});

describe('intents', () => {
  test('non-privileged by default: guilds, guild messages and DMs', () => {
    expect(storytellerIntents()).toEqual([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages]);
    expect(storytellerIntents({ chatChannels: [] })).not.toContain(GatewayIntentBits.MessageContent);
  });

  test('chat channels add the privileged Message Content intent', () => {
    expect(storytellerIntents({ chatChannels: ['123456789012345678'] })).toContain(GatewayIntentBits.MessageContent);
  });

  test('the channel partial lets DMs reach the bot', () => {
    expect(storytellerPartials).toEqual([Partials.Channel]);
  });
});
