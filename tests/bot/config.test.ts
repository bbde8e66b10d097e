import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { applicationIdFromToken, readBotConfig } from '../../src/bot/config.ts';
import { PLUGIN_DEFAULTS } from '../../src/discord/plugin.ts';
import { createLogger, redact } from '../../src/discord/log.ts';
import { UserError } from '../../src/errors.ts';
import { fakeToken } from '../support/discord-double/snowflake.ts';

describe('readBotConfig', () => {
  test('a missing DISCORD_TOKEN is a one-line UserError that names the variable', () => {
    expect(() => readBotConfig({})).toThrow(UserError);
    expect(() => readBotConfig({ DISCORD_TOKEN: '  ' })).toThrow(/^DISCORD_TOKEN is not set[^\n]*$/);
  });

  test('uses the documented defaults', () => {
    expect(readBotConfig({ DISCORD_TOKEN: 't' })).toEqual({
      token: 't',
      applicationId: undefined,
      guildId: undefined,
      apiBase: undefined,
      modelsDir: PLUGIN_DEFAULTS.modelsDir,
      defaultModel: PLUGIN_DEFAULTS.defaultModel,
      cooldownSeconds: PLUGIN_DEFAULTS.cooldownSeconds,
      maxConcurrent: PLUGIN_DEFAULTS.maxConcurrent,
      workers: undefined,
      contentFilter: true,
      chatChannels: [],
    });
  });

  test('reads every variable', () => {
    const c = readBotConfig({
      DISCORD_TOKEN: 't',
      DISCORD_APPLICATION_ID: '1',
      DISCORD_GUILD_ID: '2',
      DISCORD_API_BASE: 'http://127.0.0.1:1/api',
      STORYTELLER_MODELS_DIR: 'm',
      STORYTELLER_DEFAULT_MODEL: 'x',
      BOT_COOLDOWN_SECONDS: '0',
      BOT_MAX_CONCURRENT: '3',
      BOT_WORKERS: '2',
      BOT_CONTENT_FILTER: '0',
      BOT_CHAT_CHANNELS: '123456789012345678, 223456789012345678',
    });
    expect(c).toEqual({
      token: 't',
      applicationId: '1',
      guildId: '2',
      apiBase: 'http://127.0.0.1:1/api',
      modelsDir: 'm',
      defaultModel: 'x',
      cooldownSeconds: 0,
      maxConcurrent: 3,
      workers: 2,
      contentFilter: false,
      chatChannels: ['123456789012345678', '223456789012345678'],
    });
  });

  test.each([
    ['BOT_COOLDOWN_SECONDS', '-1'],
    ['BOT_MAX_CONCURRENT', '0'],
    ['BOT_WORKERS', 'two'],
    ['BOT_CONTENT_FILTER', 'maybe'],
    ['BOT_CHAT_CHANNELS', 'general'],
  ])('rejects %s=%s naming the variable and the value', (name, value) => {
    expect(() => readBotConfig({ DISCORD_TOKEN: 't', [name]: value })).toThrow(new RegExp(`${name} .*'${value}'`));
  });
});

describe('applicationIdFromToken', () => {
  test('decodes the id from the first segment of the token', () => {
    expect(applicationIdFromToken(fakeToken('1234567890123456789'))).toBe('1234567890123456789');
  });

  test('asks for DISCORD_APPLICATION_ID when the token does not encode one', () => {
    expect(() => applicationIdFromToken('nonsense')).toThrow(/DISCORD_APPLICATION_ID/);
  });
});

describe('token redaction', () => {
  const token = fakeToken('1234567890123456789');

  test('redact removes the given secret', () => {
    expect(redact(`failed with ${token}!`, [token])).toBe('failed with [redacted]!');
  });

  test('redact removes anything shaped like a bot token even when not given', () => {
    expect(redact(`Authorization: Bot ${token}`)).not.toContain(token);
  });

  test('the logger never writes the token, in messages or errors', () => {
    const lines: string[] = [];
    const log = createLogger(['sekrit-token-value'], (l) => lines.push(l));
    log.info('using sekrit-token-value');
    log.error('request failed', new Error('401 for sekrit-token-value'));
    expect(lines.join('\n')).not.toContain('sekrit-token-value');
    expect(lines).toHaveLength(2);
  });
});

describe('.env.example', () => {
  test('documents exactly the variables the bot reads', () => {
    const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    const documented = [...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    const source = read('src/bot/config.ts');
    const used = [...new Set([...source.matchAll(/env\.([A-Z_]+)|env, '([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]))].sort();
    expect(used.length).toBeGreaterThan(8);
    expect(documented).toEqual(used);
  });
});
