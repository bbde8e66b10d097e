// The npm package as a user installs it: packed from this checkout and installed offline into a scratch
// project, then used there the way the README and docs/api.md show.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { installPacked, type PackedInstall } from './pack.ts';

const BUDGET_BYTES = 15_000_000;
// The settings of the README's library example.
const STORY_ARGS = ['--checkpoint', 'tales-char', '--prime', 'Once upon a time', '--length', '240', '--temperature', '0.7', '--top-p', '0.8', '--seed', '42'];

let pkg: PackedInstall;

beforeAll(() => {
  pkg = installPacked();
}, 240_000);

/** The code block after `<!-- tested: NAME -->` in a document of the installed package: the docs run as written. */
function testedExample(doc: string, name: string): string {
  const text = readFileSync(path.join(pkg.packageDir, doc), 'utf8');
  const match = new RegExp(`<!-- tested: ${name.replace('.', '\\.')} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`${doc} has no code block marked <!-- tested: ${name} -->`);
  return match[1];
}

/** Every package folder under node_modules (scoped and nested ones included), by name. */
function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const folders = entry.startsWith('@') ? readdirSync(path.join(dir, entry)).map((e) => path.join(entry, e)) : [entry];
      for (const name of folders) {
        names.push(name);
        walk(path.join(dir, name, 'node_modules'));
      }
    }
  };
  walk(nodeModules);
  return names;
}

describe('the tarball', () => {
  test(`stays within ${BUDGET_BYTES / 1e6} MB and holds the build, the models and the docs, but no tests, CI or sources`, () => {
    expect(pkg.tarballBytes).toBeLessThanOrEqual(BUDGET_BYTES);
    const files = spawnSync('tar', ['tzf', pkg.tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/bin/storyteller.js', 'models/tales-char.safetensors', 'models/README.md', 'corpora/README.md', 'docs/api.md', 'README.md']) {
      expect(files).toContain(needed);
    }
    // Every shipped model but the word model, which would take the package past its budget.
    const shipped = readdirSync(path.join(ROOT, 'models')).filter((f) => /^[^.]+\.safetensors$/.test(f));
    expect(files.filter((f) => f.startsWith('models/') && f.endsWith('.safetensors')).sort()).toEqual(shipped.filter((f) => f !== 'tales-word.safetensors').map((f) => `models/${f}`).sort());
    expect(files.filter((f) => /^corpora\/stories\/.+\.txt$/.test(f)).length).toBe(20);
    expect(files.filter((f) => /^(src|tests|\.ci|configs|node_modules)\/|\.map$|tsbuildinfo|\.env/.test(f))).toEqual([]);
    // Every target of "exports" and "bin" is in the tarball.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const targets = [...Object.values(manifest.bin as Record<string, string>), ...Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))];
    for (const t of targets) expect(files).toContain(path.normalize(t));
  });
});

describe('the installed dependency tree', () => {
  test('holds no discord.js, ink, react, tsx or esbuild: they are optional peers and development tools', () => {
    const installed = installedPackages(path.join(pkg.dir, 'node_modules')).filter((n) => n !== '@types/node');
    for (const name of ['discord.js', 'ink', 'react', 'tsx', 'esbuild']) expect(installed).not.toContain(name);
    expect(installed.filter((n) => n.startsWith('@esbuild/') || n.startsWith('@discordjs/'))).toEqual([]);
    expect(installed).toEqual(expect.arrayContaining(['lstm-storyteller', 'seedrandom', 'obscenity']));
    // npm agrees the tree is complete: no missing or invalid dependency.
    const ls = pkg.run('npm', ['ls', '--all', '--offline']);
    expect(ls.stderr).toBe('');
    expect(ls.code).toBe(0);
  });
});

describe('a plain .mjs consumer', () => {
  test("the README's example writes the same story as the installed storyteller command for the same seed", () => {
    pkg.write('library.mjs', testedExample('README.md', 'library.mjs'));
    const lib = pkg.node('library.mjs');
    expect(lib.stderr).toBe('');
    expect(lib.code).toBe(0);
    const cli = pkg.node(path.join('node_modules', '.bin', 'storyteller'), ['generate', ...STORY_ARGS]);
    expect(cli.code).toBe(0);
    expect(cli.stdout.length).toBeGreaterThan(200);
    expect(lib.stdout).toBe(cli.stdout);
  });

  test("docs/api.md's example streams a story and the worker pool of the installed package tells the same one", () => {
    pkg.write('stream.mjs', testedExample('docs/api.md', 'stream.mjs'));
    const r = pkg.node('stream.mjs');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^The little fox\S*\s\S/);
    expect(lines.at(-2)).toMatch(/^\d+ tokens the model gave less than 5 %$/);
    expect(lines.at(-1)).toBe('the worker told the same story');
  });

  test('gets typed one-line errors it can tell apart', () => {
    pkg.write(
      'errors.mjs',
      `import { CheckpointError, UserError, generateText, loadModel } from 'lstm-storyteller';
const out = [];
try { await loadModel('no-such-model'); } catch (e) { out.push([e instanceof CheckpointError, e instanceof UserError, e.message]); }
try { await loadModel(new Uint8Array([1, 2, 3]), { name: 'upload' }); } catch (e) { out.push([e instanceof CheckpointError, e instanceof UserError, e.message]); }
const model = await loadModel('tales-char');
try { generateText(model, { temperature: -1 }); } catch (e) { out.push([e instanceof CheckpointError, e instanceof UserError, e.message]); }
console.log(JSON.stringify(out));
`,
    );
    const r = pkg.node('errors.mjs');
    expect(r.code).toBe(0);
    const [missing, bytes, option] = JSON.parse(r.stdout) as Array<[boolean, boolean, string]>;
    expect(missing.slice(0, 2)).toEqual([true, true]);
    expect(missing[2]).toMatch(/no-such-model\.safetensors: no such file .*tales-char/);
    expect(bytes.slice(0, 2)).toEqual([true, true]);
    expect(bytes[2]).toMatch(/^upload: /);
    expect(option).toEqual([false, true, '--temperature must be between 0 and 10 (got -1)']);
    for (const [, , message] of [missing, bytes, option]) expect(message).not.toContain('\n');
  });

  test('the installed command tells a story without a terminal, and on one without ink and react says why', () => {
    const piped = pkg.node(path.join('node_modules', '.bin', 'storyteller'), ['start', '--seed', '3', '--length', '80']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^Once upon a time\S*\s\S/);
    expect(piped.stderr).toMatch(/seed 3/);
    // A pseudo-terminal: the story screen is what `start` opens there, and it needs ink and react.
    const bin = path.join(pkg.dir, 'node_modules', '.bin', 'storyteller');
    const tty = pkg.run('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} start --seed 3 --length 80`, '/dev/null']);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/note: the terminal UI needs ink and react, which are not installed/);
    expect(tty.stdout).toContain(piped.stdout.trim().slice(0, 60));
    const tui = pkg.run('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} tui`, '/dev/null']);
    expect(tui.code).toBe(1);
    expect(tui.stdout.trim()).toMatch(/^storyteller tui: the terminal UI needs ink and react, which are not installed \(npm install ink react\)[^\n]*$/);
    // The training dashboard falls back to progress lines, and says why. (CI unset: the dashboard is skipped in CI.)
    const stories = path.join(pkg.packageDir, 'corpora', 'stories');
    const train = pkg.run('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} train --data ${JSON.stringify(stories)} --out tiny.safetensors --max-steps 2 --layers 1 --hidden-size 8 --embedding-size 4 --eval-every 2`, '/dev/null'], { env: { CI: '' } });
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/note: the terminal UI needs ink and react, which are not installed/);
    expect(existsSync(path.join(pkg.dir, 'tiny.safetensors'))).toBe(true);
  });
});

describe('a TypeScript consumer', () => {
  test('type-checks with strict and nodenext and no other flags, and misuse is a type error', { timeout: 180_000 }, () => {
    // @types/node from this checkout, as a consumer project would have it installed.
    mkdirSync(path.join(pkg.dir, 'node_modules', '@types'), { recursive: true });
    const typesNode = path.join(pkg.dir, 'node_modules', '@types', 'node');
    if (!existsSync(typesNode)) symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), typesNode, 'dir');
    pkg.write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true }, files: ['consumer.ts'] }, null, 2));
    pkg.write(
      'consumer.ts',
      `import {
  CharTokenizer, CheckpointError, createStoryEngine, DEFAULT_GENERATE_OPTIONS, evaluate, generate, generateText, listModels,
  loadModel, readCheckpoint, train, UserError, WordTokenizer, writeCheckpoint,
  type GenerateOptions, type GenerationEvent, type LoadedModel, type ModelCard, type StoryEngine, type TextScore, type TrainEvent,
} from 'lstm-storyteller';

const model: LoadedModel = await loadModel('tales-char');
const card: ModelCard = model.card;
const options: Partial<GenerateOptions> = { ...DEFAULT_GENERATE_OPTIONS, prime: 'Once', length: 20, seed: '1', trace: true };
for (const event of generate(model, options)) {
  if (event.type === 'token') {
    const prob: number = event.prob;
    const forget: number[] | undefined = event.gates?.[0]?.forget;
    void prob, forget;
  }
}
const { text, seed, story }: { text: string; seed: string; story: string } = generateText(model, options);
const score: TextScore = evaluate(model, text);
const engine: StoryEngine = createStoryEngine({ workers: 1 });
const streamed: AsyncIterable<GenerationEvent> = engine.generate('tales-char', { seed });
await engine.close();
const run: AsyncIterable<TrainEvent> = train({ data: ['stories/'], out: 'mine.safetensors', config: { maxSteps: 10, hiddenSize: 32 } });
const checkpoint = await readCheckpoint('mine.safetensors');
await writeCheckpoint('copy.safetensors', checkpoint);
const tokenizers = [CharTokenizer.fromText('abc', true), new WordTokenizer(['<unk>', 'a'], true)];
const errors: Error[] = [new UserError('x'), new CheckpointError('f', 'y')];
const names: string[] = (await listModels()).map((m) => m.name);
void card, story, score, streamed, run, tokenizers, errors, names;

// @ts-expect-error a length is a number
generateText(model, { length: 'long' });
// @ts-expect-error the stop rules are none, sentence and paragraph
generateText(model, { stop: 'chapter' });
// @ts-expect-error a story event has no 'chapter' type
const wrong: GenerationEvent['type'] = 'chapter';
void wrong;
`,
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = pkg.node(tsc, ['-p', 'tsconfig.json']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
