// Runs the project's PyTorch reference (bench/torch_lstm.py) for the same workload, when /usr/bin/python3 can import torch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { forwardMacsPerToken } from '../training/step.ts';
import { CONFIGS, type ConfigName, type Measurement } from './workloads.ts';

export function findTorchScript(root: string): string | null {
  for (const p of [process.env.TORCH_BENCH_SCRIPT, path.join(root, 'bench/torch_lstm.py')]) if (p && existsSync(p)) return p;
  return null;
}

export function torchAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

// The script runs inside a wrapper that reports the peak resident set size when it finishes.
const WRAPPER = `
import json, resource, runpy, sys
script = sys.argv[1]
sys.argv = sys.argv[1:]
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit:
    pass
print(json.dumps({"peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

export function measureTorch(script: string, name: ConfigName, mode: 'train' | 'sample', threads: number, budgetSec: number): Measurement | null {
  const args = ['-c', WRAPPER, script, '--config', name, '--threads', String(threads), '--budget', String(budgetSec)];
  if (mode === 'sample') args.push('--sample');
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', timeout: (budgetSec + 120) * 1000 });
  if (r.status !== 0) return null;
  // The script's own lines keep Python's snake_case; the Measurement it becomes is camelCase like every --json output.
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const res = lines.find((l) => l.chars_per_s !== undefined);
  const rss = lines.find((l) => l.peak_rss_kb !== undefined);
  if (!res) return null;
  const c = CONFIGS[name];
  const macs = forwardMacsPerToken({ cell: 'lstm', layers: c.layers, hiddenSize: c.hiddenSize, embeddingSize: 32, vocabSize: 80 });
  return {
    system: 'pytorch',
    config: name,
    mode,
    threads,
    charsPerSec: res.chars_per_s,
    gflops: Math.round(((res.chars_per_s * (mode === 'train' ? 6 : 2) * macs) / 1e9) * 10) / 10,
    peakRssMb: rss ? Math.round(rss.peak_rss_kb / 1024) : null,
    load1: typeof res.load1 === 'number' ? res.load1 : undefined,
  };
}
