import { describe, expect, test } from 'vitest';
import * as chat from '../../src/discord/commands/chat.ts';
import * as gates from '../../src/discord/commands/gates.ts';
import * as story from '../../src/discord/commands/story.ts';
import { ModelCatalog } from '../../src/discord/models.ts';
import { STORY_DEFAULTS } from '../../src/generation/story-defaults.ts';
import { BOT_STORY_DEFAULTS, OPTION_LIMITS, readStoryRequest, type OptionReader } from '../../src/discord/options.ts';
import { UserError } from '../../src/errors.ts';
import { FAKE_MODEL, FakeStoryEngine } from '../support/fake-story-engine.ts';

/** Options as a resolver would return them; absent names read as null. */
function options(values: Record<string, string | number | boolean>): OptionReader {
  const get = (name: string) => (name in values ? values[name] : null);
  return {
    getString: (n) => get(n) as string | null,
    getInteger: (n) => get(n) as number | null,
    getNumber: (n) => get(n) as number | null,
    getBoolean: (n) => get(n) as boolean | null,
  };
}

const defaults = { model: 'tales-char' };

describe('readStoryRequest', () => {
  test('fills in the defaults for options the user left out', () => {
    expect(readStoryRequest(options({ prompt: 'Once' }), defaults)).toEqual({
      prompt: 'Once',
      model: 'tales-char',
      length: BOT_STORY_DEFAULTS.length,
      temperature: BOT_STORY_DEFAULTS.temperature,
      topK: BOT_STORY_DEFAULTS.topK,
      topP: BOT_STORY_DEFAULTS.topP,
      seed: undefined,
      showGates: false,
      layer: undefined,
    });
  });

  test('samples as npm start does: the shared temperature and top-p', () => {
    const req = readStoryRequest(options({ prompt: 'Once' }), defaults);
    expect([req.temperature, req.topP]).toEqual([STORY_DEFAULTS.temperature, STORY_DEFAULTS.topP]);
  });

  test('top_p 1 turns nucleus sampling off; outside (0, 1] is refused', () => {
    expect(readStoryRequest(options({ prompt: 'Once', top_p: 1 }), defaults).topP).toBe(1);
    expect(() => readStoryRequest(options({ prompt: 'Once', top_p: 1.5 }), defaults)).toThrow(/top_p must be a number/);
    expect(() => readStoryRequest(options({ prompt: 'Once', top_p: 0 }), defaults)).toThrow(/top_p must be a number/);
  });

  test('passes the given options through', () => {
    const req = readStoryRequest(
      options({ prompt: 'Once', length: 50, temperature: 0, top_k: 5, seed: 'abc', model: 'tales-word', show_gates: true, layer: 1 }),
      defaults,
    );
    expect(req).toMatchObject({ length: 50, temperature: 0, topK: 5, seed: 'abc', model: 'tales-word', showGates: true, layer: 1 });
  });

  test('a command-specific default length wins over the story default', () => {
    expect(readStoryRequest(options({ prompt: 'x' }), { model: 'm', length: 123 }).length).toBe(123);
  });

  test('cleans the prompt', () => {
    expect(readStoryRequest(options({ prompt: ' hi <@1> @everyone\u0007 ' }), defaults).prompt).toBe('hi someone everyone');
  });

  test.each([
    ['length', 0],
    ['length', OPTION_LIMITS.length.max + 1],
    ['length', 2.5],
    ['temperature', -0.1],
    ['temperature', 2.01],
    ['top_k', -1],
    ['layer', 0],
  ])('rejects %s = %s with a message naming the option and its range', (name, value) => {
    expect(() => readStoryRequest(options({ prompt: 'x', [name]: value }), defaults)).toThrow(UserError);
    expect(() => readStoryRequest(options({ prompt: 'x', [name]: value }), defaults)).toThrow(new RegExp(`${name} must be .* from`));
  });

  test('rejects an overlong seed', () => {
    expect(() => readStoryRequest(options({ prompt: 'x', seed: 's'.repeat(OPTION_LIMITS.seedMaxLength + 1) }), defaults)).toThrow(/seed/);
  });

  test('an empty seed means "pick one"', () => {
    expect(readStoryRequest(options({ prompt: 'x', seed: '  ' }), defaults).seed).toBeUndefined();
  });
});

describe('ModelCatalog.check', () => {
  const catalog = (defaultModel: string, extra: ConstructorParameters<typeof ModelCatalog>[3] = []) =>
    new ModelCatalog(new FakeStoryEngine(), '/nowhere', defaultModel, extra);

  test('accepts a listed model', async () => {
    await expect(catalog('other').check(FAKE_MODEL.name)).resolves.toBe(FAKE_MODEL.name);
  });

  test('trusts the configured default even when the engine does not list it', async () => {
    await expect(catalog('story.best').check('story.best')).resolves.toBe('story.best');
  });

  test('names the listed models when the requested one is missing', async () => {
    await expect(catalog('other').check('nope')).rejects.toThrow(`unknown model 'nope'; available: ${FAKE_MODEL.name}`);
  });

  test('refuses a path, so users cannot make the bot open files', async () => {
    await expect(catalog('other').check(FAKE_MODEL.path)).rejects.toThrow(UserError);
  });

  test('a model the host named by path is offered by its name and reaches the engine by its path', async () => {
    const c = catalog('other', ['/somewhere/bedtime.safetensors', { name: 'loaded', path: '/elsewhere/x.safetensors' }]);
    await expect(c.check('bedtime')).resolves.toBe('bedtime');
    expect(c.key('bedtime')).toBe('/somewhere/bedtime.safetensors');
    expect(c.key('loaded')).toBe('/elsewhere/x.safetensors');
    expect(c.key(FAKE_MODEL.name)).toBe(FAKE_MODEL.name);
    expect(c.names()).toEqual(['bedtime', 'loaded']);
  });

  test('a file URL is offered by its file name; a model loaded from bytes (no path) is refused on one line', () => {
    expect(catalog('other', [new URL('file:///some%20where/owl.safetensors')]).key('owl')).toBe('/some where/owl.safetensors');
    expect(() => catalog('other', [{ name: 'bytes', path: '' }])).toThrow(/^a model given to the storyteller plugin has no file path; load it from a file or pass its path$/);
  });
});

describe('command declarations', () => {
  const optionOf = (json: { options?: ReadonlyArray<{ name: string }> }, name: string) => json.options?.find((o) => o.name === name);

  test('/story declares the option ranges Discord enforces', () => {
    const json = story.data.toJSON();
    expect(optionOf(json, 'prompt')).toMatchObject({ required: true, max_length: 300 });
    expect(optionOf(json, 'length')).toMatchObject({ min_value: OPTION_LIMITS.length.min, max_value: OPTION_LIMITS.length.max });
    expect(optionOf(json, 'temperature')).toMatchObject({ min_value: 0, max_value: 2 });
    expect(optionOf(json, 'top_k')).toMatchObject({ min_value: 0 });
    expect(optionOf(json, 'show_gates')).toBeDefined();
  });

  test('/gates adds a layer option and has no show_gates', () => {
    const json = gates.data.toJSON();
    expect(optionOf(json, 'layer')).toMatchObject({ min_value: 1 });
    expect(optionOf(json, 'show_gates')).toBeUndefined();
  });

  test('/chat takes a required message', () => {
    expect(optionOf(chat.data.toJSON(), 'message')).toMatchObject({ required: true, max_length: 300 });
  });
});
