// storyteller bench (npm run bench): our engine against PyTorch on the reference workloads, side by side in
// one run, for one or more thread counts. Each of our rows runs in a fresh child process (clean peak RSS);
// runs are paired A B A B so machine drift cancels, and the best of the rounds (--rounds, default 2) of each
// system is reported: on a shared host, where other load only ever slows a run, more rounds find what the
// machine gives when it is left alone.
// With 1 and n > 1 threads in the list, n one-thread copies also run at once: what the machine gives n
// independent threads of the same work, the ceiling for splitting one run across n threads.
// --amdahl measures 1 and 2 threads and the share of a step that runs on one thread, fits Amdahl's law
// and predicts the speed-up at 4, 8 and 16 threads (src/bench/amdahl.ts; method in BENCHMARKS.md).
import { spawn, spawnSync } from 'node:child_process';
import { cpus, availableParallelism } from 'node:os';
import { UserError } from '../../errors.ts';
import { textTable } from '../../format.ts';
import { predictScaling, PREDICT_AT } from '../../bench/amdahl.ts';
import { findTorchScript, measureTorch, torchAvailable } from '../../bench/pytorch.ts';
import { CONFIGS, load1, measureSample, measureTrain, type ConfigName, type Measurement } from '../../bench/workloads.ts';
import { checkThreads, defaultThreads } from '../../engine/threads.ts';
import { helpText, parseFlags, type Flags } from '../args.ts';
import { PROJECT_ROOT } from '../../models.ts';
import { nodeArgs } from '../../worker-url.ts';

const FLAGS: Flags = {
  config: { type: 'string', help: 'S, M or L (default: all)' },
  mode: { type: 'string', choices: ['train', 'sample'], help: 'train or sample (default: both)' },
  threads: { type: 'string', help: 'thread counts for both systems, comma-separated, e.g. 1,2 (default: one per core, up to 8)' },
  budget: { type: 'number', default: 20, help: 'seconds per measurement' },
  rounds: { type: 'number', default: 2, help: 'measurements of each row, taken in turns with the other rows; the best is reported' },
  amdahl: { type: 'boolean', help: 'training at 1 and 2 threads plus the share outside the products: Amdahl fit and predicted speed-ups at 4, 8, 16 threads' },
  json: { type: 'boolean', help: 'one JSON object per measurement row' },
  'no-torch': { type: 'boolean', help: 'skip PyTorch even when it is available' },
  child: { type: 'boolean', help: '(internal) measure one row in this process' },
  profile: { type: 'boolean', help: '(internal, with --child) time the kernels inside the training step' },
  'wait-go': { type: 'boolean', help: '(internal, with --child) print "ready" once warm, start timing when a line arrives on stdin' },
};

type Row = { config: ConfigName; mode: 'train' | 'sample' };

function rows(a: Record<string, unknown>): Row[] {
  const configs = a.config ? [String(a.config).toUpperCase()] : ['S', 'M', 'L'];
  for (const c of configs) if (!(c in CONFIGS)) throw new UserError(`--config must be S, M or L (got ${a.config})`);
  const out: Row[] = [];
  for (const c of configs as ConfigName[]) {
    if (!a.mode || a.mode === 'train' || a.amdahl) out.push({ config: c, mode: 'train' });
    if ((!a.mode || a.mode === 'sample') && !a.amdahl && (a.config || c === 'M')) out.push({ config: c, mode: 'sample' });
  }
  return out;
}

/** "1,2,4" → [1, 2, 4]; each a valid thread count, no repeats. */
export function parseThreadList(raw: string): number[] {
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean).map((x) => checkThreads(Number(x), '--threads'));
  if (!list.length) throw new UserError('--threads needs one or more thread counts, e.g. 1,2');
  return [...new Set(list)];
}

function ours(config: ConfigName, mode: string, threads: number, budget: number, profile = false): Measurement {
  const args = ['bench', '--child', '--config', config, '--mode', mode, '--threads', String(threads), '--budget', String(budget), ...(profile ? ['--profile'] : [])];
  const r = spawnSync(process.execPath, [...nodeArgs('../../bin/storyteller.ts', import.meta.url), ...args], { encoding: 'utf8', cwd: PROJECT_ROOT });
  if (r.status !== 0) throw new UserError(`benchmark of ${config}/${mode} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout);
}

/**
 * n one-thread copies of our row at once, each in its own process; all warm up, then start timing
 * together. Their total chars/s against one copy's is what the machine gives n independent threads of this
 * work (shared caches and memory bandwidth, SMT siblings, other load on the host).
 */
async function copies(config: ConfigName, mode: string, n: number, budget: number): Promise<Measurement> {
  const args = [...nodeArgs('../../bin/storyteller.ts', import.meta.url), 'bench', '--child', '--wait-go', '--config', config, '--mode', mode, '--threads', '1', '--budget', String(budget)];
  const kids = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const ready = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.startsWith('ready\n')) resolve();
    }));
    const done = new Promise<Measurement>((resolve, reject) => child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!));
      else reject(new UserError(`benchmark of ${n} copies of ${config}/${mode} failed: ${err.trim().split('\n').pop()}`));
    }));
    return { child, ready, done };
  });
  try {
    // A copy that fails while warming up ends the wait as well (its `done` rejects).
    await Promise.race([Promise.all(kids.map((k) => k.ready)), Promise.all(kids.map((k) => k.done))]);
  } finally {
    for (const k of kids) k.child.stdin.end('go\n');
  }
  const runs = await Promise.all(kids.map((k) => k.done));
  const total = (f: (m: Measurement) => number) => runs.reduce((x, m) => x + f(m), 0);
  return { system: 'copies', config, mode: mode as Measurement['mode'], threads: n, charsPerSec: total((m) => m.charsPerSec),
    gflops: Math.round(total((m) => m.gflops) * 10) / 10, peakRssMb: null, load1: Math.max(...runs.map((m) => m.load1 ?? 0)) };
}

/** Tells the parent this copy is warm, then waits for its line on stdin (see copies). */
function waitForGo(): Promise<void> {
  process.stdout.write('ready\n');
  return new Promise((resolve) => process.stdin.once('data', () => {
    process.stdin.pause();
    resolve();
  }));
}

/** The fastest of a row's rounds, carrying the chars/s of them all. */
const best = (ms: Measurement[]): Measurement => ({
  ...ms.reduce((x, y) => (y.charsPerSec > x.charsPerSec ? y : x)),
  rounds: ms.map((m) => m.charsPerSec),
});

function printTable(table: string[][]): void {
  process.stdout.write('\n' + textTable(table) + '\n');
}

export async function benchCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller bench [--config S|M|L] [--mode train|sample] [--threads N[,N…]] [--amdahl] [--json]', FLAGS));
    return 0;
  }
  if (a.amdahl && a.threads !== undefined) throw new UserError('--amdahl measures 1 and 2 threads; leave out --threads');
  if (a.amdahl && a.mode === 'sample') throw new UserError('--amdahl measures training; leave out --mode sample');
  const threadList = a.amdahl ? [1, 2] : a.threads !== undefined ? parseThreadList(a.threads as string) : [defaultThreads()];
  const budget = a.budget as number;
  if (!(budget > 0)) throw new UserError(`--budget must be a positive number of seconds (got ${budget})`);
  const rounds = a.rounds as number;
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) throw new UserError(`--rounds must be a whole number from 1 to 20 (got ${rounds})`);
  if (a.child) {
    const [{ config, mode }] = rows(a);
    const t = threadList[0];
    const go = a['wait-go'] ? waitForGo : undefined;
    const m = mode === 'train' ? await measureTrain(config, t, budget, !!a.profile, go) : await measureSample(config, t, budget, go);
    process.stdout.write(JSON.stringify(m) + '\n');
    return 0;
  }
  const script = a['no-torch'] ? null : findTorchScript(PROJECT_ROOT);
  const torch = !!script && torchAvailable();
  const cores = availableParallelism();
  const loads: number[] = [load1()];
  if (!a.json) {
    process.stdout.write(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, Node ${process.version}; threads: ${threadList.join(', ')}; best of ${rounds} round${rounds > 1 ? 's' : ''}; load average ${loads[0]}\n`);
    if (threadList.some((t) => t > cores)) process.stdout.write(`note: more threads than the ${cores} cores: those rows measure oversubscription, not scaling\n`);
    const noTorch = a['no-torch'] ? 'PyTorch: skipped (--no-torch); our figures only\n' : 'PyTorch: not available (needs /usr/bin/python3 with torch: apt-get install python3-torch libopenblas0-openmp); our figures only\n';
    process.stdout.write(torch ? `PyTorch: ${script}\n` : noTorch);
  }
  const table: string[][] = [['config', 'mode', 'threads', 'ours chars/s', '× 1 thread', 'copies × 1', 'ours/copies', 'GFLOP/s', 'peak RSS', 'PyTorch chars/s', '× 1 thread', 'GFLOP/s', 'peak RSS', 'ours/PyTorch']];
  const amdahl: string[][] = [['config', '1 thread', '2 threads', '× 2', 'copies × 2', 'products', 'elem.', 'Adam', 'rest', 'one thread', 's measured', 's fitted', ...PREDICT_AT.map((n) => `× ${n}`), ...PREDICT_AT.map((n) => `ceiling ${n}`), 's vs copies', ...PREDICT_AT.map((n) => `whole cores ${n}`), 'PyTorch s', ...PREDICT_AT.map((n) => `vs PyTorch ${n}`)]];
  const withCopies = threadList.includes(1);
  const mb = (x: number | null) => (x === null ? '-' : `${x} MB`);
  const times = (x: number) => `${x.toFixed(2)}×`;
  for (const { config, mode } of rows(a)) {
    const mine = new Map<number, Measurement[]>(threadList.map((t) => [t, []]));
    const theirs = new Map<number, Measurement[]>(threadList.map((t) => [t, []]));
    const copied = new Map<number, Measurement[]>(threadList.map((t) => [t, []]));
    let profile: Measurement | undefined;
    for (let round = 0; round < rounds; round++) {
      for (const t of threadList) {
        mine.get(t)!.push(ours(config, mode, t, budget));
        loads.push(mine.get(t)!.at(-1)!.load1 ?? load1());
        if (withCopies && t > 1) copied.get(t)!.push(await copies(config, mode, t, budget));
        if (torch) {
          const m = measureTorch(script!, config, mode, t, budget);
          if (m) theirs.get(t)!.push(m);
        }
      }
    }
    if (a.amdahl) profile = ours(config, 'train', 2, budget, true);
    const m1 = mine.has(1) ? best(mine.get(1)!) : undefined;
    const t1 = theirs.get(1)?.length ? best(theirs.get(1)!) : undefined;
    for (const t of threadList) {
      const m = best(mine.get(t)!);
      const p = theirs.get(t)!.length ? best(theirs.get(t)!) : null;
      const c = copied.get(t)!.length ? best(copied.get(t)!) : null;
      if (a.json) {
        for (const row of [m, c, p]) if (row) process.stdout.write(JSON.stringify(row) + '\n');
        continue;
      }
      table.push([config, mode, String(t), m.charsPerSec.toLocaleString('en'), m1 ? times(m.charsPerSec / m1.charsPerSec) : '-',
        c && m1 ? times(c.charsPerSec / m1.charsPerSec) : '-', c ? `${Math.round((100 * m.charsPerSec) / c.charsPerSec)} %` : '-', String(m.gflops), mb(m.peakRssMb),
        p ? p.charsPerSec.toLocaleString('en') : '-', p && t1 ? times(p.charsPerSec / t1.charsPerSec) : '-', p ? String(p.gflops) : '-', p ? mb(p.peakRssMb) : '-',
        p ? times(m.charsPerSec / p.charsPerSec) : '-']);
      process.stdout.write(`${table.at(-1)!.join('  ')}\n`);
    }
    if (a.amdahl) {
      const o2 = best(mine.get(2)!);
      const t2 = theirs.get(2)?.length ? best(theirs.get(2)!) : undefined;
      const c2 = copied.get(2)!.length ? best(copied.get(2)!) : undefined;
      const parts = profile?.parts;
      // What ran on one thread in the profiled 2-thread step, over the 1-thread step's time.
      const step1Ms = (1000 * CONFIGS[config].batchSize * CONFIGS[config].seqLength) / m1!.charsPerSec;
      const serialMeasured = parts ? Math.min(1, (parts.oneThread * parts.stepMs) / step1Ms) : undefined;
      const copies2 = c2 ? c2.charsPerSec / m1!.charsPerSec : undefined;
      const fit = predictScaling({ ours1: m1!.charsPerSec, ours2: o2.charsPerSec, serialMeasured, copies2, torch1: t1?.charsPerSec, torch2: t2?.charsPerSec });
      if (a.json) {
        process.stdout.write(JSON.stringify({ system: 'amdahl', config, parts, copies2, ...fit }) + '\n');
        continue;
      }
      const pct = (x: number | undefined) => (x === undefined ? '-' : `${(x * 100).toFixed(1)} %`);
      const at = (r: Record<number, number> | undefined) => PREDICT_AT.map((n) => (r ? times(r[n]) : '-'));
      amdahl.push([config, m1!.charsPerSec.toLocaleString('en'), o2.charsPerSec.toLocaleString('en'), times(fit.speedup2), copies2 ? times(copies2) : '-',
        pct(parts?.products), pct(parts?.elementwise), pct(parts?.adam), pct(parts?.rest), pct(parts?.oneThread),
        fit.serialMeasured === undefined ? '-' : fit.serialMeasured.toFixed(3), fit.serialFitted.toFixed(3), ...at(fit.predicted), ...at(fit.ceiling),
        fit.serialVsCopies === undefined ? '-' : fit.serialVsCopies.toFixed(3), ...at(fit.predictedWholeCores),
        fit.torchSerialFitted === undefined ? '-' : fit.torchSerialFitted.toFixed(3), ...at(fit.ratio)]);
    }
  }
  if (!a.json) {
    printTable(table);
    if (a.amdahl) {
      process.stdout.write('\nAmdahl: s fitted = 2·t(2)/t(1) − 1 from the rows above; s measured = time per step that ran on one thread in a profiled 2-thread run\n' +
        '("one thread": JavaScript and the kernel calls that did not split, as a share of that run) over the 1-thread step (its speed-ups are the ceiling).\n' +
        '"copies × 2": two one-thread runs at once against one, what the machine gives two independent threads of this work;\n' +
        '"s vs copies" = copies × 2 ÷ (× 2) − 1, the s of our split on a machine whose second core is a whole one, and its speed-ups ("whole cores").\n' +
        'Predicted speed-ups over 1 thread assume each core keeps its own L2 and memory bandwidth does not bind; "vs PyTorch" scales the 1-thread ratio by both fits.\n');
      printTable(amdahl);
    }
    const hi = Math.max(...loads, load1());
    process.stdout.write(`\nload average during the run: up to ${hi}${hi > cores ? ` (above the ${cores} cores: the machine was busy, these timings are not trustworthy)` : ''}\n`);
  }
  return 0;
}
