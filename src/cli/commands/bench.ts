// storyteller bench (npm run bench): our engine against PyTorch on the reference workloads, side by side in
// one run. Each of our rows runs in a fresh child process (clean peak RSS); runs are paired A B A B so
// machine drift cancels, and the better of the two runs of each system is reported.
import { spawnSync } from 'node:child_process';
import { cpus, availableParallelism } from 'node:os';
import { UserError } from '../../errors.ts';
import { findTorchScript, measureTorch, torchAvailable } from '../../bench/pytorch.ts';
import { CONFIGS, measureSample, measureTrain, type ConfigName, type Measurement } from '../../bench/workloads.ts';
import { helpText, parseFlags, type Flags } from '../args.ts';
import { PROJECT_ROOT } from '../../models.ts';
import { nodeArgs } from '../../worker-url.ts';

const FLAGS: Flags = {
  config: { type: 'string', help: 'S, M or L (default: all)' },
  mode: { type: 'string', choices: ['train', 'sample'], help: 'train or sample (default: both)' },
  threads: { type: 'int', default: 2, help: 'threads for both systems' },
  budget: { type: 'number', default: 20, help: 'seconds per measurement' },
  json: { type: 'boolean', help: 'one JSON object per measurement row' },
  'no-torch': { type: 'boolean', help: 'skip PyTorch even when it is available' },
  child: { type: 'boolean', help: '(internal) measure one row in this process' },
};

function rows(a: Record<string, unknown>): Array<{ config: ConfigName; mode: 'train' | 'sample' }> {
  const configs = a.config ? [String(a.config).toUpperCase()] : ['S', 'M', 'L'];
  for (const c of configs) if (!(c in CONFIGS)) throw new UserError(`--config must be S, M or L (got ${a.config})`);
  const out: Array<{ config: ConfigName; mode: 'train' | 'sample' }> = [];
  for (const c of configs as ConfigName[]) {
    if (!a.mode || a.mode === 'train') out.push({ config: c, mode: 'train' });
    if ((!a.mode || a.mode === 'sample') && (a.config || c === 'M')) out.push({ config: c, mode: 'sample' });
  }
  return out;
}

function ours(config: ConfigName, mode: string, threads: number, budget: number): Measurement {
  const r = spawnSync(process.execPath, [...nodeArgs('../../bin/storyteller.ts', import.meta.url), 'bench', '--child', '--config', config, '--mode', mode, '--threads', String(threads), '--budget', String(budget)], { encoding: 'utf8', cwd: PROJECT_ROOT });
  if (r.status !== 0) throw new UserError(`benchmark of ${config}/${mode} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout);
}

export async function benchCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller bench [--config S|M|L] [--mode train|sample] [--threads N] [--json]', FLAGS));
    return 0;
  }
  const threads = a.threads as number;
  if (threads < 1 || threads > 2) throw new UserError(`--threads must be 1 or 2 (got ${threads})`);
  const budget = a.budget as number;
  if (a.child) {
    const [{ config, mode }] = rows(a);
    const m = mode === 'train' ? await measureTrain(config, threads, budget) : await measureSample(config, threads, budget);
    process.stdout.write(JSON.stringify(m) + '\n');
    return 0;
  }
  const script = a['no-torch'] ? null : findTorchScript(PROJECT_ROOT);
  const torch = !!script && torchAvailable();
  if (!a.json) {
    process.stdout.write(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}; threads: ${threads}\n`);
    process.stdout.write(torch ? `PyTorch: ${script}\n\n` : 'PyTorch: not available (needs /usr/bin/python3 with torch and ../shared/bench/torch_lstm.py); our figures only\n\n');
  }
  const table: string[][] = [['config', 'mode', 'ours chars/s', 'GFLOP/s', 'peak RSS', 'PyTorch chars/s', 'GFLOP/s', 'peak RSS', 'ours/PyTorch']];
  for (const { config, mode } of rows(a)) {
    const mine: Measurement[] = [];
    const theirs: Measurement[] = [];
    for (let round = 0; round < 2; round++) {
      mine.push(ours(config, mode, threads, budget));
      if (torch) {
        const t = measureTorch(script!, config, mode, threads, budget);
        if (t) theirs.push(t);
      }
    }
    const best = (ms: Measurement[]) => ms.reduce((x, y) => (y.chars_per_s > x.chars_per_s ? y : x));
    const m = best(mine);
    const t = theirs.length ? best(theirs) : null;
    if (a.json) {
      process.stdout.write(JSON.stringify(m) + '\n');
      if (t) process.stdout.write(JSON.stringify(t) + '\n');
      continue;
    }
    const mb = (x: number | null) => (x === null ? '-' : `${x} MB`);
    table.push([config, mode, m.chars_per_s.toLocaleString('en'), String(m.gflops), mb(m.peak_rss_mb), t ? t.chars_per_s.toLocaleString('en') : '-', t ? String(t.gflops) : '-', t ? mb(t.peak_rss_mb) : '-', t ? `${(m.chars_per_s / t.chars_per_s).toFixed(2)}×` : '-']);
    process.stdout.write(`${table.at(-1)!.join('  ')}\n`);
  }
  if (!a.json) {
    const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    process.stdout.write('\n' + table.map((r) => r.map((c, i) => c.padStart(w[i])).join('  ')).join('\n') + '\n');
  }
  return 0;
}
