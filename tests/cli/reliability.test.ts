// Faults a user meets with bad input, signals, pipes and odd paths: each ends in a clear one-line message
// or a clean stop, never a stack trace, never a lost or overwritten file (docs/reliability.md).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { f32LoopBackend } from '../../src/engine/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { BIN, ROOT, storyteller } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';

const dir = scratchDir('reliability');
const corpus = path.join(dir, 'story.txt');
const TINY = ['--hidden-size', '8', '--embedding-size', '4', '--layers', '1', '--batch-size', '2', '--seq-length', '8'];

/** A one-line message, no stack trace. */
function expectCleanError(r: { code: number | null; stderr: string }, message: RegExp) {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

beforeAll(() => {
  writeFileSync(corpus, 'Doug saw Jane. Jane saw Spot. See Spot run. Run, Spot, run!\n\n'.repeat(30));
});

describe('a checkpoint saved before the first validation', () => {
  let latest: string;
  beforeAll(() => {
    const out = path.join(scratchDir('early'), 'm.safetensors');
    // --max-minutes stops the run long before --eval-every comes round.
    const r = storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '100000', '--eval-every', '100000', '--checkpoint-every', '5', '--max-minutes', '0.005', '--json']);
    expect(r.code, r.stderr).toBe(0);
    latest = out.replace(/\.safetensors$/, '.latest.safetensors');
  });
  it('comes with a best file, as the README promises', () => {
    expect(existsSync(latest.replace('.latest.', '.best.'))).toBe(true);
  });
  it('is described by info and card', () => {
    const info = storyteller(['info', '--checkpoint', latest]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/validation: [\d.]+ bits per character/);
    const card = storyteller(['card', '--checkpoint', latest, '--seeds', '1', '--length', '10']);
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).not.toMatch(/undefined|null|NaN/);
  });
  it('written by an older release with null figures, still reads as "not yet validated"', async () => {
    const ck = await loadCheckpoint(latest, f32LoopBackend);
    const old = path.join(path.dirname(latest), 'old.safetensors');
    // JSON has no Infinity: older releases stored the unvalidated figures as null.
    await saveCheckpoint(old, { ...ck, card: { ...ck.card, valLoss: Infinity, valBpc: Infinity, valPerplexity: Infinity } });
    const info = storyteller(['info', '--checkpoint', old]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/not yet validated/);
    const card = storyteller(['card', '--checkpoint', old, '--seeds', '1', '--length', '10']);
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).toMatch(/not yet validated/);
    expect(card.stdout).not.toMatch(/undefined|null|NaN/);
  });
});

/** The CLI run in another working folder. */
function storytellerIn(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A long training run in the background, resolved once it has reported its first step. */
function startLongRun(out: string) {
  const child = spawn(process.execPath, [BIN, 'train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '1000000', '--log-every', '1', '--json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const firstStep = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/"type":"step"/.test(stdout)) resolve();
    });
    child.on('exit', () => reject(new Error(`training ended before its first step: ${stderr}`)));
  });
  return { child, firstStep, exited, output: () => ({ stdout, stderr }) };
}

describe('training never replaces what it did not write', () => {
  it('refuses --out equal to its data file, leaving the corpus as it was', () => {
    const data = path.join(scratchDir('own'), 'own.txt');
    writeFileSync(data, readFileSync(corpus));
    const before = digest(data);
    expectCleanError(storyteller(['train', '--data', data, '--out', data, ...TINY, '--max-steps', '2']), /--out .*own\.txt would write over .*own\.txt, which this run reads; choose another --out/);
    expect(digest(data)).toBe(before);
  });
  it('refuses --out equal to the model it starts from', () => {
    const base = path.join(scratchDir('base'), 'm.safetensors');
    expect(storyteller(['train', '--data', corpus, '--out', base, ...TINY, '--max-steps', '2']).code).toBe(0);
    const before = digest(base);
    expectCleanError(storyteller(['train', '--init', base, '--data', corpus, '--out', base, '--max-steps', '2']), /would write over .*m\.safetensors, which this run reads/);
    expect(digest(base)).toBe(before);
  });
  it('refuses to start again over an earlier run unless told how: --resume, --force or another --out', () => {
    const again = scratchDir('again');
    const out = path.join(again, 'm.safetensors');
    expect(storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '4']).code).toBe(0);
    const files = ['m.safetensors', 'm.best.safetensors', 'm.latest.safetensors'].map((f) => path.join(again, f));
    const before = files.map(digest);
    const r = storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '4']);
    expect(r.stderr).toMatch(/m\.safetensors already exists: give --resume to continue that run, --force to train over it, or another --out/);
    expect(r.code).toBe(1);
    expect(files.map(digest)).toEqual(before);
    const forced = storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '4', '--seed', 'other', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(digest(files[0]!)).not.toBe(before[0]);
  });
  it('reproducing a shipped model from its recipe writes to runs/, not over models/', () => {
    const work = scratchDir('recipe');
    const shipped = path.join(ROOT, 'models', 'doug-jane-spot.safetensors');
    const before = digest(shipped);
    mkdirSync(path.join(work, 'configs'));
    const recipe = path.join(work, 'configs', 'r.json');
    writeFileSync(recipe, JSON.stringify({ data: [corpus], out: shipped, maxSteps: 2, hiddenSize: 8, layers: 1, embeddingSize: 4 }));
    const r = storytellerIn(work, ['train', '--config', recipe]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/writing runs\/doug-jane-spot\.safetensors: the recipe's out, .*models\/doug-jane-spot\.safetensors, is a shipped model/);
    expect(existsSync(path.join(work, 'runs', 'doug-jane-spot.safetensors'))).toBe(true);
    expect(digest(shipped)).toBe(before);
  });
});

describe('--out is checked before the first step', () => {
  it.each([
    ['a folder', (d: string) => d, /is a folder; give a file/],
    ['a name ending in /', (d: string) => `${d}/sub/`, /names a folder; give a file/],
    ['a place under a file', (d: string) => path.join(d, 'story.txt', 'm.safetensors'), /cannot write in .*story\.txt \(part of that path is a file\)/],
  ])('%s is refused at once, leaving no stray files', (_, outOf, message) => {
    const d = scratchDir('out');
    writeFileSync(path.join(d, 'story.txt'), readFileSync(corpus));
    const r = storyteller(['train', '--data', corpus, '--out', outOf(d), ...TINY, '--max-steps', '2']);
    expectCleanError(r, message);
    expect(r.stderr).not.toMatch(/training \d/);
    expect(readdirSync(d)).toEqual(['story.txt']);
  });
});

describe('resuming', () => {
  it('refuses flags that would change the model, as --init does', () => {
    const out = path.join(scratchDir('res'), 'm.safetensors');
    expect(storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '2']).code).toBe(0);
    expectCleanError(
      storyteller(['train', '--data', corpus, '--out', out, '--resume', '--max-steps', '4', '--level', 'word', '--hidden-size', '64']),
      /m\.latest\.safetensors was trained with --level char; a resumed run cannot change it to word/,
    );
    // The same sizes given again are fine.
    const same = storyteller(['train', '--data', corpus, '--out', out, '--resume', '--max-steps', '4', '--hidden-size', '8', '--json']);
    expect(same.code, same.stderr).toBe(0);
  });
});

describe('training data must be text', () => {
  it('refuses a binary file with the counts found', () => {
    const bin = path.join(dir, 'program.txt');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0xff, 0xfe, 0x41, 0x0a]));
    expectCleanError(storyteller(['train', '--data', bin, '--out', path.join(dir, 'bin.safetensors'), ...TINY]), /program\.txt: not a text file \(3 NUL bytes, 2 invalid UTF-8 sequences\)/);
  });
  it('refuses text in another encoding, saying how to convert it', () => {
    const latin = path.join(dir, 'latin1.txt');
    writeFileSync(latin, Buffer.from('Caf\xe9 and cr\xe8me.\n'.repeat(20), 'latin1'));
    expectCleanError(storyteller(['train', '--data', latin, '--out', path.join(dir, 'l.safetensors'), ...TINY]), /latin1\.txt: not UTF-8 \(40 invalid byte sequences\); convert it first, e\.g\. iconv/);
  });
  it('says which files a folder gave, subfolders included', () => {
    const folder = path.join(scratchDir('books'), 'books');
    mkdirSync(path.join(folder, 'part-two'), { recursive: true });
    writeFileSync(path.join(folder, 'one.txt'), readFileSync(corpus));
    writeFileSync(path.join(folder, 'part-two', 'two.txt'), readFileSync(corpus));
    writeFileSync(path.join(folder, 'notes.md'), 'not a story');
    const r = storyteller(['train', '--data', folder, '--out', path.join(folder, '..', 'books.safetensors'), ...TINY, '--max-steps', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/reading 2 files: .*books\/one\.txt, .*books\/part-two\/two\.txt\n/);
  });
});

describe('signals, pipes and locks', () => {
  it('SIGTERM saves a checkpoint like Ctrl-C and exits 143; a second run on the same --out is refused meanwhile', async () => {
    const out = path.join(scratchDir('term'), 'm.safetensors');
    const run = startLongRun(out);
    await run.firstStep;
    const second = storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '2', '--force']);
    expectCleanError(second, new RegExp(`another training run \\(process ${run.child.pid}\\) is writing .*m; wait for it to finish or choose another --out \\(if no run is going on, remove .*m\\.lock\\)`));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    const events = run.output().stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'stopped' });
    const latest = await loadCheckpoint(out.replace(/\.safetensors$/, '.latest.safetensors'), f32LoopBackend);
    expect(latest.optimizer).toBeDefined();
    expect(existsSync(out)).toBe(true);
    expect(existsSync(out.replace(/\.safetensors$/, '.lock'))).toBe(false);
  });
  it.each([['SIGINT', 130], ['SIGHUP', 129]] as const)('%s also saves a checkpoint and exits %i', async (signal, status) => {
    const out = path.join(scratchDir('signal'), 'm.safetensors');
    const run = startLongRun(out);
    await run.firstStep;
    run.child.kill(signal);
    expect(await run.exited).toBe(status);
    expect((await loadCheckpoint(out.replace(/\.safetensors$/, '.latest.safetensors'), f32LoopBackend)).optimizer).toBeDefined();
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['m.best.safetensors', 'm.latest.safetensors', 'm.safetensors']);
  });
  it('a reader closing the pipe stops training cleanly: status 0, checkpoints kept, no temporary files', async () => {
    const out = path.join(scratchDir('pipe'), 'm.safetensors');
    const run = startLongRun(out);
    await run.firstStep;
    run.child.stdout.destroy(); // as `| head -2` does
    expect(await run.exited).toBe(0);
    expect(run.output().stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect((await loadCheckpoint(out.replace(/\.safetensors$/, '.latest.safetensors'), f32LoopBackend)).optimizer).toBeDefined();
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['m.best.safetensors', 'm.latest.safetensors', 'm.safetensors']);
  });
  it('generate into a pipe that closes early exits quietly', async () => {
    const child = spawn(process.execPath, [BIN, 'generate', '--checkpoint', 'tales-char', '--length', '3000', '--seed', '1'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy()); // as `| head -c 100` does
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
  it.runIf(existsSync('/dev/full'))('output to a full disk is one line and status 1; training still saves its checkpoints', () => {
    const full = openSync('/dev/full', 'w');
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], timeout: 120_000 });
    const g = run(['generate', '--checkpoint', 'tales-char', '--length', '50', '--seed', '1']);
    expect(g.status).toBe(1);
    expect(g.stderr).toMatch(/^seed: 1\nstoryteller: cannot write to stdout \(ENOSPC\)\n$/);
    const out = path.join(scratchDir('full'), 'm.safetensors');
    const t = run(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '100000', '--json']);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/storyteller: cannot write to stdout \(ENOSPC\)/);
    expect(t.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['m.best.safetensors', 'm.latest.safetensors', 'm.safetensors']);
  });
  it('a lock left by a run that died is taken over with a note', () => {
    const out = path.join(scratchDir('stale'), 'm.safetensors');
    mkdirSync(path.dirname(out), { recursive: true });
    // A pid that is not running: a finished child's.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(out.replace(/\.safetensors$/, '.lock'), `${dead}\n`);
    const r = storyteller(['train', '--data', corpus, '--out', out, ...TINY, '--max-steps', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`m\\.lock was left by a run that ended without removing it \\(process ${dead}\\); taking it over`));
    expect(existsSync(out.replace(/\.safetensors$/, '.lock'))).toBe(false);
  });
});

describe('messages', () => {
  it.each([[['corpus']], [['corpus', 'stats']], [['corpus', 'fetch']], [['corpus', 'stats', '--jsn']], [['corpus', 'download']]])('storyteller %j names the command once', (args) => {
    const r = storyteller(args);
    expectCleanError(r, /^storyteller corpus: /);
    expect(r.stderr).not.toMatch(/storyteller corpus:? \w*:? ?storyteller corpus/);
  });
});

describe('flag messages', () => {
  it('states one rule for --max-steps whether the value is 0 or negative', () => {
    const zero = storyteller(['train', '--data', corpus, '--out', path.join(dir, 'z.safetensors'), '--max-steps', '0']);
    const negative = storyteller(['train', '--data', corpus, '--out', path.join(dir, 'z.safetensors'), '--max-steps=-1']);
    expectCleanError(zero, /--max-steps must be a whole number, at least 1 \(got 0\)/);
    expectCleanError(negative, /--max-steps must be a whole number, at least 1 \(got -1\)/);
  });
  it('takes a prompt that starts with a dash as text', () => {
    const model = path.join(dir, 'dash.safetensors');
    expect(storyteller(['train', '--data', corpus, '--out', model, ...TINY, '--max-steps', '2']).code).toBe(0);
    const r = storyteller(['generate', '--checkpoint', model, '--prime', '-Doug', '--length', '5', '--seed', '1', '--unknown', 'skip']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('-Doug') || r.stdout.startsWith('Doug')).toBe(true);
    // A negative number still reaches the number check; a flag after a value-taking flag still means "no value".
    expectCleanError(storyteller(['generate', '--checkpoint', model, '--length', '-5']), /--length must be/);
    expectCleanError(storyteller(['generate', '--checkpoint', model, '--prime', '--length', '5']), /--prime needs a value/);
  });
  it('checks --layer before writing the story', () => {
    const model = path.join(dir, 'layer.safetensors');
    expect(storyteller(['train', '--data', corpus, '--out', model, ...TINY, '--max-steps', '2']).code).toBe(0);
    const r = storyteller(['generate', '--checkpoint', model, '--length', '20', '--seed', '1', '--gates-svg', path.join(dir, 'g'), '--layer', '5']);
    expectCleanError(r, /--layer must be 1 to 1 \(got 5\)/);
    expect(r.stdout).toBe('');
    // Layers count from 1 everywhere a user types or reads one; 0 says so instead of meaning the first.
    const zero = storyteller(['generate', '--checkpoint', model, '--length', '20', '--seed', '1', '--gates-json', path.join(dir, 'g.json'), '--layer', '0']);
    expectCleanError(zero, /--layer counts from 1 \(the first layer\) to 1; got 0/);
    expect(zero.stdout).toBe('');
  });
});

describe('smaller ones', () => {
  let model: string;
  beforeAll(() => {
    model = path.join(scratchDir('small'), 'm.safetensors');
    const r = storyteller(['train', '--data', corpus, '--out', model, ...TINY, '--max-steps', '2']);
    expect(r.code, r.stderr).toBe(0);
  });
  it('start without a terminal says what it did with prompt characters the model never saw', () => {
    const r = storyteller(['start', '--model', model, '--prime', 'Dougé', '--seed', '1', '--length', '10']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: "é" is not in the vocabulary; replaced by "e"/);
  });
  it('demo long-dependency puts its pictures in runs/demos/, not the current folder', () => {
    const work = scratchDir('demo');
    const r = storytellerIn(work, ['demo', 'long-dependency', '--per-bucket', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(work)).toEqual(['runs']);
    expect(readdirSync(path.join(work, 'runs', 'demos'))).toEqual(expect.arrayContaining(['long-dependency-accuracy.svg', 'long-dependency-cell.svg', 'long-dependency-forget.svg']));
    expect(r.stderr).toMatch(/pictures: runs\/demos\/long-dependency-accuracy\.svg/);
  });
  it('the episode demos refuse a model that cannot read the episodes, instead of an internal error', () => {
    expectCleanError(storyteller(['demo', 'gradients', '--per-gap', '1', '--models', 'doug-jane-spot']), /doug-jane-spot is a word-level model; use a char-level model trained on the episodes/);
    expectCleanError(storyteller(['demo', 'long-dependency', '--per-bucket', '1', '--models', model]), /m does not know the characters .* of the episodes/);
  });
  it('card labels a latest file as holding optimizer state, a final file as weights only', () => {
    const latest = storyteller(['card', '--checkpoint', model.replace(/\.safetensors$/, '.latest.safetensors'), '--seeds', '1', '--length', '5']);
    expect(latest.stdout).toMatch(/MB \(weights with optimizer and trainer state for --resume/);
    const final = storyteller(['card', '--checkpoint', model, '--seeds', '1', '--length', '5']);
    expect(final.stdout).toMatch(/MB \(weights only\)/);
  });
});

describe('more faults of the same kind', () => {
  let model: string;
  beforeAll(() => {
    model = path.join(scratchDir('more'), 'm.safetensors');
    const r = storyteller(['train', '--data', corpus, '--out', model, ...TINY, '--max-steps', '2']);
    expect(r.code, r.stderr).toBe(0);
  });
  it.each([
    ['--gates-json', (d: string) => path.join(d, 'story.txt', 'g.json'), /--gates-json .*g\.json: cannot write in .*story\.txt \(part of that path is a file\)/],
    ['--gates-json', (d: string) => d, /--gates-json .* is a folder; give a file name/],
    ['--gates-svg', (d: string) => path.join(d, 'story.txt', 'g'), /--gates-svg .*g\.svg: cannot write in .*story\.txt/],
  ])('generate %s to a place that cannot be written fails before the story, naming the file given', (flag, where, message) => {
    const d = scratchDir('gates');
    writeFileSync(path.join(d, 'story.txt'), 'x');
    const r = storyteller(['generate', '--checkpoint', model, '--length', '20', '--seed', '1', flag, where(d)]);
    expectCleanError(r, message);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\.tmp/);
  });
  it('strip refuses to write over the checkpoint it reads (a latest file would lose its optimizer state)', () => {
    const latest = model.replace(/\.safetensors$/, '.latest.safetensors');
    const before = digest(latest);
    expectCleanError(storyteller(['strip', '--checkpoint', latest, '--out', latest]), /is the checkpoint being read; write the weights-only copy to another file/);
    expect(digest(latest)).toBe(before);
  });
  it('strip replaces an existing --out only with --force', () => {
    const d = scratchDir('strip');
    const other = path.join(d, 'other.safetensors');
    writeFileSync(other, 'someone else\'s file');
    expectCleanError(storyteller(['strip', '--checkpoint', model, '--out', other]), /--out .*other\.safetensors already exists: give --force to replace it, or another --out/);
    expect(readFileSync(other, 'utf8')).toBe('someone else\'s file');
    expect(storyteller(['strip', '--checkpoint', model, '--out', other, '--force']).code).toBe(0);
  });
  it('--resume with no run to continue says so', () => {
    const out = path.join(scratchDir('noresume'), 'm.safetensors');
    expectCleanError(storyteller(['train', '--data', corpus, '--out', out, '--resume']), /--resume: there is no run to continue \(.*m\.latest\.safetensors does not exist\); start it without --resume/);
  });
  it('a model too big for memory is a one-line error, not an internal error', () => {
    const out = path.join(scratchDir('huge'), 'm.safetensors');
    expectCleanError(storyteller(['train', '--data', corpus, '--out', out, '--hidden-size', '4096', '--layers', '16', '--max-steps', '1']), /not enough memory for this model .*choose a smaller --hidden-size/);
  });
  it('a folder given as --config, eval without --data and empty card seeds get plain messages', () => {
    expectCleanError(storyteller(['train', '--config', dir]), /is a folder, not a recipe/);
    expectCleanError(storyteller(['eval', '--checkpoint', model]), /no text to score: give --data/);
    expectCleanError(storyteller(['card', '--checkpoint', model, '--seeds', '1,,2']), /--seeds must be seeds separated by commas, none empty/);
  });
});
