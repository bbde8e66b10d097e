// Where workers and launchers live: the built .js next to built code, the .ts source (through tsx) next to sources.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { moduleUrl, nodeArgs, runningFromSource, startWorker } from '../../src/worker-url.ts';

describe('moduleUrl', () => {
  test('from built code, the .js sibling of the source path', () => {
    expect(moduleUrl('./generation-worker.ts', 'file:///pkg/dist/generation/worker-engine.js').href).toBe('file:///pkg/dist/generation/generation-worker.js');
    expect(moduleUrl('../bin/storyteller.ts', 'file:///pkg/dist/demos/demo-runner.js').href).toBe('file:///pkg/dist/bin/storyteller.js');
    expect(runningFromSource('file:///pkg/dist/index.js')).toBe(false);
  });

  test('from the sources, the source itself', () => {
    expect(moduleUrl('./story-app.tsx', 'file:///repo/src/cli/main.ts').href).toBe('file:///repo/src/cli/story-app.tsx');
    expect(runningFromSource(import.meta.url)).toBe(true);
  });
});

test('nodeArgs runs a source launcher through tsx, so the source CLI answers as the built one does', () => {
  const args = nodeArgs('../../src/bin/storyteller.ts', import.meta.url);
  expect(args).toHaveLength(3);
  expect(args[0]).toBe('--import');
  const r = spawnSync(process.execPath, [...args, 'generate', '--checkpoint', 'doug-jane-spot', '--prime', 'Doug saw', '--length', '12', '--seed', '1'], { encoding: 'utf8' });
  expect(r.stderr).toBe('seed: 1\n');
  expect(r.status).toBe(0);
  const built = spawnSync(process.execPath, ['dist/bin/storyteller.js', 'generate', '--checkpoint', 'doug-jane-spot', '--prime', 'Doug saw', '--length', '12', '--seed', '1'], { encoding: 'utf8' });
  expect(r.stdout).toBe(built.stdout);
});

test('startWorker runs a TypeScript worker from the sources, with its workerData and argv intact', async () => {
  const worker = startWorker('./echo-worker.ts', import.meta.url, { workerData: { said: 'hello' }, argv: ['--flag'] });
  const reply = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  await worker.terminate();
  expect(reply).toEqual({ said: 'hello', lastArg: '--flag' });
});
