// The folder the fuzzed CLI runs in: a small corpus, a copy of a real checkpoint, a recipe and some bad
// inputs. After every case the folder is put back as it was (changed files rewritten, new files removed)
// and the property checks that no input of that case changed.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/cli.ts';
import { changedFiles, hashTree } from '../support/fuzz.ts';
import { scratchDir } from '../support/scratch.ts';

export const STORY = 'Doug saw Jane. Jane saw Spot. Spot ran. Doug ran to Jane.\n\nJane saw Doug. Spot saw Doug and Jane.\n';

export interface Workspace {
  dir: string;
  /** Puts the folder back as it was; returns the files that had changed or vanished (relative paths). */
  restore(): string[];
}

export function makeWorkspace(): Workspace {
  const dir = scratchDir('fuzz');
  const w = (rel: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  };
  w('story.txt', STORY.repeat(20));
  w('stories/a.txt', STORY.repeat(5));
  w('stories/b.txt', 'Spot saw a ball. The ball was red.\n'.repeat(10));
  w('empty.txt', '');
  w('binary.dat', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256)));
  w('latin1.txt', Buffer.from('Jos\xe9 saw Ren\xe9e.\n'.repeat(10), 'latin1'));
  copyFileSync(path.join(ROOT, 'models/doug-jane-spot.safetensors'), path.join(dir, 'model.safetensors'));
  w('truncated.safetensors', readFileSync(path.join(dir, 'model.safetensors')).subarray(0, 1000));
  w('configs/tiny.json', JSON.stringify({ data: ['story.txt'], out: 'runs/tiny.safetensors', name: 'tiny', hiddenSize: 8, embeddingSize: 8, maxSteps: 2 }));
  w('configs/bad.json', '{"data": ["story.txt"], "hiddenSize": "big"');
  w('configs/odd.json', JSON.stringify({ data: 'story.txt', out: 7, hiddenSize: -3, nonsense: true }));
  mkdirSync(path.join(dir, 'runs'), { recursive: true });

  const pristine = new Map<string, Buffer>();
  const snapshot = hashTree(dir);
  for (const f of snapshot.keys()) pristine.set(f, readFileSync(f));
  const dirs = new Set<string>();
  const walkDirs = (p: string) => {
    dirs.add(p);
    for (const e of readdirSync(p, { withFileTypes: true })) if (e.isDirectory()) walkDirs(path.join(p, e.name));
  };
  walkDirs(dir);

  return {
    dir,
    restore() {
      const now = hashTree(dir);
      const changed = changedFiles(snapshot, now);
      // Remove whatever the case created (outputs), then rewrite what it changed.
      const sweep = (p: string) => {
        for (const e of readdirSync(p, { withFileTypes: true })) {
          const f = path.join(p, e.name);
          if (e.isDirectory()) {
            if (dirs.has(f)) sweep(f);
            else rmSync(f, { recursive: true, force: true });
          } else if (!pristine.has(f)) rmSync(f, { force: true });
        }
      };
      sweep(dir);
      for (const f of changed) {
        const st = statSync(f, { throwIfNoEntry: false });
        if (st?.isDirectory()) rmSync(f, { recursive: true, force: true });
        mkdirSync(path.dirname(f), { recursive: true });
        writeFileSync(f, pristine.get(f)!);
      }
      return changed.map((f) => path.relative(dir, f));
    },
  };
}
