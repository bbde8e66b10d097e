// Every file the product writes (models, corpora, pictures, traces) goes through here: the bytes go to a
// temporary name in the same folder and are renamed into place, so a reader (a training run, a browser, the
// Discord bot) never sees half a file and a crash mid-write leaves the old file intact.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
