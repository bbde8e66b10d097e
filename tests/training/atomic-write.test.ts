// The one file writer: readers never see half a file, and a power loss cannot leave a renamed but empty file.
import { existsSync, promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/atomic-write.ts';
import { scratchDir } from '../support/scratch.ts';

afterEach(() => vi.restoreAllMocks());

describe('writeFileAtomic', () => {
  it('flushes the temporary file to disk before renaming it, and the folder after', async () => {
    const dir = scratchDir('atomic');
    const file = path.join(dir, 'a.bin');
    const log: string[] = [];
    const open = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (p, flags, mode) => {
      const h = await open(p, flags, mode);
      const sync = h.sync.bind(h);
      h.sync = async () => {
        log.push(`sync ${path.basename(String(p)).endsWith('.tmp') ? 'tmp' : String(p) === dir ? 'dir' : String(p)}`);
        return sync();
      };
      return h;
    });
    const rename = fsp.rename.bind(fsp);
    vi.spyOn(fsp, 'rename').mockImplementation(async (a, b) => {
      log.push('rename');
      return rename(a, b);
    });
    await writeFileAtomic(file, Buffer.from('weights'));
    expect(log).toEqual(['sync tmp', 'rename', 'sync dir']);
    expect(readFileSync(file, 'utf8')).toBe('weights');
  });

  it('leaves the old file and no temporary file behind when the write fails', async () => {
    const dir = scratchDir('atomic');
    const file = path.join(dir, 'a.bin');
    writeFileSync(file, 'old');
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('disk gone'), { code: 'EIO' }));
    await expect(writeFileAtomic(file, 'new')).rejects.toThrow(/disk gone/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.bin']);
    expect(existsSync(file)).toBe(true);
  });
});

describe('a process that exits mid-write', () => {
  it('leaves neither the temporary file nor a partial final file', async () => {
    const { spawnSync } = await import('node:child_process');
    const { ROOT } = await import('../support/cli.ts');
    const dir = scratchDir('atomic-exit');
    const file = path.join(dir, 'big.bin');
    // The built module (npm test builds first), as the CLI runs it; exit while 200 MB are being written.
    const script = `const { writeFileAtomic } = await import(${JSON.stringify(path.join(ROOT, 'dist/atomic-write.js'))});
      writeFileAtomic(${JSON.stringify(file)}, Buffer.alloc(200e6, 1));
      setTimeout(() => process.exit(3), 30);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });
});
