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
