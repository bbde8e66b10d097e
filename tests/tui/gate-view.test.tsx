import { vi, afterEach, describe, expect, test } from 'vitest';
// Colour support is decided when chalk loads, so force it before Ink is imported.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});
// The gate view on a real (tiny, random) LSTM run by the real generator: the prompt coloured and inspectable,
// the keys that pick a unit, a summary, the scale and a span, and the export showing the same choice.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { f64Backend } from '../../src/engine/backend.ts';
import { RnnModel } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { GenerateOptions, GenerationEvent } from '../../src/generation/events.ts';
import { generate, type LoadedModel } from '../../src/generation/generator.ts';
import type { ModelSummary, StoryEngine } from '../../src/generation/story-engine.ts';
import { CharTokenizer } from '../../src/text/char-tokenizer.ts';
import { ColorContext } from '../../src/tui/color-context.ts';
import { StoryApp } from '../../src/tui/story-app.tsx';
import { plain, tick, waitFor } from './helpers.tsx';

const ENTER = '\r';
const HOME = '\x1b[H';
const RIGHT = '\x1b[C';
const BG = /\x1b\[48;[25];/;

function tinyModel(): LoadedModel {
  const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz .!?\n"');
  const model = new RnnModel({ cell: 'lstm', layers: 1, hiddenSize: 12, embeddingSize: 6, vocabSize: tokenizer.vocab.length, dropout: 0, tieWeights: false }, f64Backend);
  model.params.init(new Rng('gate-view'));
  for (let i = 0; i < model.params.size; i++) model.params.data[i] *= 4;
  return { name: 'tiny', path: '/nowhere/tiny.safetensors', model, tokenizer, card: {} };
}

const SUMMARY: ModelSummary = { name: 'tiny', path: '/nowhere/tiny.safetensors', level: 'char', cell: 'lstm', layers: 1, hiddenSize: 12, params: 1, vocabSize: 32 };

/** The real generator in-process behind the engine's interface. */
class TinyEngine implements StoryEngine {
  lm = tinyModel();
  async listModels() {
    return [SUMMARY];
  }
  async loadModel() {
    return SUMMARY;
  }
  async *generate(_model: string, options: Partial<GenerateOptions>): AsyncIterable<GenerationEvent> {
    yield* generate(this.lm, options);
  }
  async close() {}
}

const dirs: string[] = [];
afterEach(() => {
  cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function told(prompt = 'the cat sat') {
  const outDir = mkdtempSync(join(tmpdir(), 'tui-gates-'));
  dirs.push(outDir);
  const app = render(
    <ColorContext.Provider value>
      <StoryApp engine={new TinyEngine()} init={{ model: 'tiny', length: 40, seed: 's' }} modelsDir="models" outDir={outDir} />
    </ColorContext.Provider>,
  );
  const frame = () => plain(app.lastFrame());
  const until = (check: (f: string) => boolean, what: string) => waitFor(() => check(frame()), what, frame);
  const type = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  await until((f) => f.includes('loaded tiny'), 'the model to load');
  await type(prompt);
  await type(ENTER);
  await until((f) => f.includes('done:'), 'the story to finish');
  await type('g');
  await until((f) => f.includes('colour: mean forget gate'), 'the gate view');
  return { app, frame, until, type, outDir };
}

describe('gate view', () => {
  test('the prompt is coloured like the story and its tokens can be inspected', async () => {
    const t = await told('the cat sat');
    const promptLine = t.app.lastFrame()!.split('\n').find((l) => plain(l).startsWith('the cat sat'))!;
    // Every prompt character has a background colour: no dim, uncoloured prime any more.
    expect(promptLine.split(BG).length - 1).toBeGreaterThanOrEqual(1);
    await t.type(HOME);
    await t.until((f) => /prompt token 1\/11 t p=\S+ \(as the model expected it\)/.test(f), 'the first prompt token in the panel');
    await t.type(RIGHT);
    await t.until((f) => f.includes('prompt token 2/11 h'), 'the second prompt token');
  });

  test('> colours the story by the best suggested unit, marked ◆ on the numbered strip; v goes back to a summary', async () => {
    const t = await told();
    await t.type('>');
    await t.until((f) => /colour: unit \d+ forget gate/.test(f) && f.includes('suggestion 1/12 by rule "memory"'), 'a unit view');
    const unit = Number(/colour: unit (\d+)/.exec(t.frame())![1]);
    const strip = t.frame().split('\n').find((l) => /^ {3}0 /.test(l))!;
    expect([...strip.slice(5)].indexOf('◆')).toBe(unit);
    await t.type('.');
    await t.until((f) => f.includes(`colour: unit ${(unit + 1) % 12} forget gate`), 'the next unit by number');
    await t.type('v');
    await t.until((f) => f.includes('colour: mean forget gate'), 'the mean again');
    await t.type('v');
    await t.until((f) => f.includes('colour: share of units forgetting (f < 0.5)') && f.includes('no unit → every unit'), 'the share summary');
  });

  test('z changes the scale the legend prints; x the rule; b marks a span', async () => {
    const t = await told();
    expect(t.frame()).toContain('scale: 5th–95th percentile of the story (z)');
    await t.type('z');
    await t.until((f) => f.includes('scale: min–max of the story (z)'), 'the min–max scale');
    await t.type('z');
    await t.until((f) => f.includes('scale: fixed (z)'), 'the fixed scale');
    await t.type('x');
    await t.until((f) => f.includes('suggested units (< >): varies most over the story'), 'the variance rule');
    await t.type(HOME);
    await t.type('b');
    await t.type(RIGHT + RIGHT);
    await t.until((f) => f.includes('span: tokens 1-3 (follows the cursor; b ends it)'), 'an open span');
    await t.type('b');
    await t.until((f) => f.includes('span: tokens 1-3 (b clears)'), 'a fixed span');
  });

  test('e exports the heatmap of the unit shown, prompt included', async () => {
    const t = await told('ab');
    await t.type('>');
    await t.until((f) => /colour: unit \d+/.test(f), 'a unit view');
    const unit = /colour: unit (\d+)/.exec(t.frame())![1];
    await t.type('e');
    await t.until((f) => f.includes('heatmap to'), 'the export');
    const svg = readdirSync(t.outDir).find((f) => f.endsWith(`-forget-layer1-unit${unit}.svg`));
    expect(svg).toBeDefined();
    const text = readFileSync(join(t.outDir, svg!), 'utf8');
    expect(text).toContain(`top strip: unit ${unit} forget gate`);
    // The 2 prompt tokens and the story's.
    const storyTokens = Number(/done: (\d+) tokens/.exec(t.frame())![1]);
    expect(text).toContain(`${storyTokens + 2} tokens`);
  });
});
