// The discord.js plugin as a user adds it: the packed package and discord.js installed into a scratch
// project, where a bot made of the README's "Add it to your bot" code (its only change: the REST base of
// the loopback Discord double) answers /story with the same story the library writes for that seed, and
// answers a mention and a DM. The bot is a plain `node bot.mjs` child process; no loader, no build tools.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { displayText } from '../../src/discord/sanitize.ts';
import { ROOT } from '../support/cli.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { installPacked, type PackedInstall } from './pack.ts';

const PROMPT = 'Once upon a time';
const SEED = 'plugin-7';
const LENGTH = 40;

/** The first ```js block after the README's "## Add it to your bot" heading. */
function readmeBotCode(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Add it to your bot'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README has no ```js block under "Add it to your bot"');
  return block[1];
}

let pkg: PackedInstall;
let double: DiscordDouble;
let bot: ChildProcess;
let output = '';
let storyCommand: { name: string; options?: Array<{ name: string; type: number }> };

beforeAll(async () => {
  pkg = installPacked({ extra: ['discord.js'] });
  const code = readmeBotCode();
  expect(code).toContain("from 'lstm-storyteller/discord'");
  expect(code).toContain('new Client({');
  pkg.write('bot.mjs', code.replace('new Client({', 'new Client({ rest: { api: process.env.DISCORD_API_BASE },'));
  double = await startDiscordDouble();
  bot = spawn(process.execPath, ['bot.mjs'], {
    cwd: pkg.dir,
    env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: double.token, DISCORD_API_BASE: double.apiBase },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stdout!.on('data', (d) => (output += d));
  bot.stderr!.on('data', (d) => (output += d));
  const put = await double.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${double.applicationId}/commands`, 60_000, 'the consumer bot registering its commands').catch((e: Error) => {
    throw new Error(`${e.message}\nbot output:\n${output}`);
  });
  storyCommand = (put.json as Array<typeof storyCommand>).find((c) => c.name === 'story')!;
}, 300_000);

afterAll(async () => {
  bot?.kill('SIGKILL');
  await double?.close();
});

describe('a consumer bot with the installed plugin', () => {
  test('registers the plugin commands', () => {
    expect(double.commands.get('global')?.map((c) => (c as { name: string }).name)).toEqual(['story', 'gates', 'chat', 'model', 'demo', 'episode']);
  });

  test('answers /story with the story the library writes for the same prompt, options and seed', async () => {
    const i = double.slashCommand(storyCommand, { prompt: PROMPT, length: LENGTH, seed: SEED }, double.person('ana'));
    const edit = await double.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${i.token}/messages/@original`) && r.status === 200, 60_000, 'the story');
    // What the bot asks for: a story's defaults (temperature, top-p, ending) at the length given.
    pkg.write(
      'expected.mjs',
      `import { loadModel, generateText, STORY_DEFAULTS } from 'lstm-storyteller';
const model = await loadModel('tales-char');
const { text } = generateText(model, { ...STORY_DEFAULTS, prime: ${JSON.stringify(PROMPT)}, length: ${LENGTH}, seed: ${JSON.stringify(SEED)} });
process.stdout.write(JSON.stringify(text));
`,
    );
    const expected = pkg.node('expected.mjs');
    expect(expected.stderr).toBe('');
    const text = JSON.parse(expected.stdout) as string;
    expect(text.length).toBeGreaterThan(10);
    expect(edit.json.content).toContain(`**${PROMPT}**${displayText(text)}\n-# tales-char · seed \`${SEED}\``);
    expect(edit.json.allowed_mentions).toEqual({ parse: [] });
  });

  test('answers a mention, threaded to it, pinging nobody', async () => {
    const msg = double.userMessage(`<@${double.applicationId}> The little hen found a seed`, double.person('bo'), [double.botUser]);
    const reply = await double.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${double.channelId}/messages` && r.json?.message_reference?.message_id === msg.id,
      60_000,
      'the reply to the mention',
    );
    expect(reply.json.content).toMatch(/\S[\s\S]*\n-# tales-char · seed `/);
    expect(reply.json.allowed_mentions).toMatchObject({ parse: [], replied_user: false });
  });

  test('answers a DM', async () => {
    const msg = double.directMessage('Pip built a boat', double.person('cy'));
    const reply = await double.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${msg.channel_id}/messages` && r.json?.message_reference?.message_id === msg.id,
      60_000,
      'the reply to the DM',
    );
    expect(reply.json.content).toMatch(/\n-# tales-char · seed `/);
  });

  test('logs nothing that contains the token', () => {
    expect(output).not.toContain(double.token);
  });
});
