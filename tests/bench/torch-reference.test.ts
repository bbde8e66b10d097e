// The project's own PyTorch reference for `npm run bench` (bench/torch_lstm.py): found in the checkout, and it
// measures both modes of a workload in the JSON the bench reads.
import path from 'node:path';
import { expect, it } from 'vitest';
import { findTorchScript, measureTorch } from '../../src/bench/pytorch.ts';
import { ROOT } from '../support/cli.ts';
import { describeWithTool, torchMissing } from '../support/tools.ts';

describeWithTool('bench/torch_lstm.py', torchMissing(), () => {
  it('is the script the bench runs, and measures training and sampling throughput', () => {
    const script = findTorchScript(ROOT);
    expect(script).toBe(path.join(ROOT, 'bench/torch_lstm.py'));
    for (const mode of ['train', 'sample'] as const) {
      const m = measureTorch(script!, 'S', mode, 1, 0.5);
      expect(m).toMatchObject({ system: 'pytorch', config: 'S', mode, threads: 1 });
      expect(m!.charsPerSec).toBeGreaterThan(100);
      expect(m!.gflops).toBeGreaterThan(0);
    }
  });
});
