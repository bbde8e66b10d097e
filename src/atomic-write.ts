// Every file the product writes (models, corpora, pictures, traces) goes through here: the bytes go to a
// temporary name in the same folder and are renamed into place, so a reader (a training run, a browser, the
// Discord bot) never sees half a file and a crash mid-write leaves the old file intact. The data is flushed
// to disk before the rename and the folder after it: without that a power loss can persist the rename
// before the data, leaving an empty or partial file under the final name.
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.ts';

// Temporary files being written: if the process exits mid-write (a second Ctrl-C, process.exit) they are
// removed on the way out rather than left beside the real file.
const pending = new Set<string>();
let exitHook = false;

function track(tmp: string): void {
  pending.add(tmp);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const f of pending) {
      try {
        unlinkSync(f);
      } catch {
        // Already renamed or removed.
      }
    }
  });
}

export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  track(tmp);
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
    // Name the file the caller asked for, not the temporary one.
    if ((e as NodeJS.ErrnoException).path === tmp) (e as NodeJS.ErrnoException).path = path;
    throw e;
  } finally {
    pending.delete(tmp);
  }
  await syncFolder(dirname(path));
}

/**
 * Checks, before any work is spent, that `file` can be written: not a folder, its folder exists or is
 * created, and a file can be made there (permissions, read-only disks). `label` names it in messages
 * ("--out", "--gates-json").
 */
export async function checkWritableFile(file: string, label: string): Promise<void> {
  if (file === '' || /[/\\]$/.test(file)) throw new UserError(`${label} ${JSON.stringify(file)} names a folder; give a file name`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${label} ${file} is a folder; give a file name, e.g. ${join(file, 'out')}`);
  const parent = dirname(resolve(file));
  try {
    await makeFolders(parent);
  } catch (e) {
    throw new UserError(`${label} ${file}: cannot create the folder ${parent} (${(e as NodeJS.ErrnoException).code})`);
  }
  const probe = join(parent, `.storyteller-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFile(probe, '', { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${label} ${file}: cannot write in ${parent} (${code === 'ENOTDIR' ? 'part of that path is a file' : code})`);
  }
  await fs.rm(probe, { force: true });
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns for some impossible places
 * (/proc/x on Linux), where a plain mkdir fails at once.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let p = dir;
  while (!existsSync(p)) {
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing) {
    try {
      await fs.mkdir(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
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
