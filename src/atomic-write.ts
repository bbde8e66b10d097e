// Every file the product writes (models, corpora, pictures, traces) goes through here: the bytes go to a
// temporary name in the same folder and are renamed into place, so a reader (a training run, a browser, the
// Discord bot) never sees half a file and a crash mid-write leaves the old file intact. The data is flushed
// to disk before the rename and the folder after it: without that a power loss can persist the rename
// before the data, leaving an empty or partial file under the final name.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncFolder(dirname(path));
}

/** Makes a rename in `dir` durable. Some systems cannot open or flush a folder; the rename itself stands. */
async function syncFolder(dir: string): Promise<void> {
  let fh;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}
