// Start-up failures, graceful shutdown and sharding: main() in-process and the launchers as child processes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/bot/main.ts';
import { createStorytellerPlugin } from '../../src/discord/plugin.ts';
import { UserError } from '../../src/errors.ts';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double/index.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(file: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [file, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

let double: DiscordDouble;
beforeAll(async () => {
  double = await startDiscordDouble();
});
afterAll(async () => {
  await double?.close();
});

function envFor(d: DiscordDouble, extra: Record<string, string | undefined> = {}) {
  return { DISCORD_TOKEN: d.token, DISCORD_API_BASE: d.apiBase, STORYTELLER_DEFAULT_MODEL: FAKE_MODEL.name, ...extra };
}

describe('start-up', () => {
  test('the plugin is ready only when its default model loads', async () => {
    await expect(createStorytellerPlugin({ engine: new FakeStoryEngine(), defaultModel: 'missing' }).ready()).rejects.toThrow(UserError);
    await expect(createStorytellerPlugin({ engine: new FakeStoryEngine(), defaultModel: FAKE_MODEL.name }).ready()).resolves.toMatchObject({ name: FAKE_MODEL.name });
  });

  test('a default model that does not load stops start-up before connecting', async () => {
    const sessions = double.gateway.sessions.length;
    const code = await main([], envFor(double, { STORYTELLER_DEFAULT_MODEL: 'missing' }), { createEngine: async () => new FakeStoryEngine(), write: () => {} });
    expect(code).toBe(1);
    expect(double.gateway.sessions.length).toBe(sessions);
  });

  test('main prints one line and returns 1 when the model fails to load', async () => {
    const lines: string[] = [];
    const code = await main([], envFor(double, { STORYTELLER_DEFAULT_MODEL: 'missing' }), {
      createEngine: async () => new FakeStoryEngine(),
      write: (l) => lines.push(l),
    });
    expect(code).toBe(1);
    expect(lines).toEqual(['missing: no such model']);
  });

  test('a token Discord rejects is reported on one line without the token', async () => {
    const lines: string[] = [];
    const bad = double.token.replace(/.$/, 'Z');
    const code = await main([], envFor(double, { DISCORD_TOKEN: bad }), { createEngine: async () => new FakeStoryEngine(), write: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Discord rejected DISCORD_TOKEN/);
    expect(lines.join('')).not.toContain(bad);
  });

  test('unknown flags are refused on one line in the storyteller command\'s wording', async () => {
    const lines: string[] = [];
    expect(await main(['--shard', '2'], envFor(double), { write: (l) => lines.push(l) })).toBe(1);
    expect(lines).toEqual(['unknown flag --shard (see --help)']);
  });

  test('a stray argument and a missing --shards value are refused like the storyteller command\'s', async () => {
    const lines: string[] = [];
    expect(await main(['2'], envFor(double), { write: (l) => lines.push(l) })).toBe(1);
    expect(await main(['--shards'], envFor(double), { write: (l) => lines.push(l) })).toBe(1);
    expect(lines).toEqual(['unexpected argument "2" (see --help)', '--shards needs a value']);
  });

  test('--help lists --shards and the environment', async () => {
    const lines: string[] = [];
    expect(await main(['--help'], envFor(double), { write: (l) => lines.push(l) })).toBe(0);
    expect(lines.join('\n')).toMatch(/^usage: npm run bot/);
    expect(lines.join('\n')).toMatch(/--shards VALUE/);
    expect(lines.join('\n')).toMatch(/Environment: see \.env\.example/);
  });

  test('a bad --shards value is refused on one line', async () => {
    const lines: string[] = [];
    expect(await main(['--shards', 'many'], envFor(double), { write: (l) => lines.push(l) })).toBe(1);
    expect(lines).toEqual(["--shards must be 'auto' or a whole number >= 1 (got 'many')"]);
  });

  test('the bot launcher without DISCORD_TOKEN exits 1 with a one-line message', async () => {
    const p = run('dist/bin/bot.js', [], {});
    expect(await p.exited).toBe(1);
    expect(p.output().trim().split('\n')).toEqual([expect.stringMatching(/^DISCORD_TOKEN is not set/)]);
  });
});

describe('shutdown', () => {
  test('on a stop signal main closes the gateway connection and the engine and returns 0', async () => {
    let stop!: (why: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    const engine = new FakeStoryEngine();
    let closed = false;
    engine.close = async () => {
      closed = true;
    };
    const before = double.gateway.identified.length;
    const exit = main([], envFor(double), { createEngine: async () => engine, untilStopped: () => ({ stopped, dispose() {} }), write: () => {} });
    await double.gateway.until(() => double.gateway.identified.length > before, 10_000, 'identify');
    const session = double.gateway.identified.at(-1)!;
    stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(closed).toBe(true);
    await double.gateway.until(() => session.socket.readyState === session.socket.CLOSED, 5_000, 'socket close');
  });

  test('SIGTERM stops the launched bot cleanly (exit 0)', async () => {
    const before = double.gateway.identified.length;
    const p = run('tests/support/discord-double/fake-bot.mjs', [], envFor(double));
    try {
      await double.gateway.until(() => double.gateway.identified.length > before, 20_000, 'identify');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).not.toContain(double.token);
    } finally {
      p.child.kill('SIGKILL');
    }
  });
});

describe('sharding', () => {
  let sharded: DiscordDouble;
  beforeAll(async () => {
    sharded = await startDiscordDouble({ shards: 2 });
  });
  afterAll(async () => {
    await sharded?.close();
  });

  test('--shards auto spawns the recommended number of shard processes, each identifying as its shard', async () => {
    const p = run('tests/support/discord-double/fake-bot.mjs', ['--shards', 'auto'], envFor(sharded));
    try {
      await sharded.gateway.until(() => sharded.gateway.identified.length >= 2, 40_000, 'two shard identifies');
      const shards = sharded.gateway.identified.map((s) => s.identify!.shard).sort();
      expect(shards).toEqual([
        [0, 2],
        [1, 2],
      ]);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      await sharded.gateway.until(() => sharded.gateway.sessions.every((s) => s.socket.readyState === s.socket.CLOSED), 10_000, 'shards closing');
    } finally {
      p.child.kill('SIGKILL');
    }
  });
});
