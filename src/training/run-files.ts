// The files of a training run (OUT, OUT.best, OUT.latest) are checked and claimed before the first step:
// the place must be writable (not learnt after hours of training), a run never writes over files it did
// not create or over its own inputs, and a lock file keeps two runs from mixing their checkpoints.
import { closeSync, existsSync, openSync, promises as fs, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { checkWritableFile } from '../atomic-write.ts';
import { UserError } from '../errors.ts';

export function siblingPath(out: string, kind: 'best' | 'latest' | 'lock'): string {
  return out.replace(/\.safetensors$/, '') + (kind === 'lock' ? '.lock' : `.${kind}.safetensors`);
}

export interface RunClaim {
  /** Notes for the user (a stale lock taken over). */
  notes: string[];
  release(): Promise<void>;
}

export interface ClaimOptions {
  out: string;
  /** Files the run reads (corpus files, the --init model, the recipe): never written over. */
  inputs: string[];
  /** Continuing the run in OUT: its files may be replaced. */
  resume?: boolean;
  /** Starting again over an earlier run's files. */
  force?: boolean;
}

/** Checks OUT is a writable file path, locks the run and refuses to replace what the user did not ask to. */
export async function claimRunFiles(o: ClaimOptions): Promise<RunClaim> {
  await checkWritable(o.out);
  const outputs = [o.out, siblingPath(o.out, 'best'), siblingPath(o.out, 'latest')];
  const inputs = new Set(o.inputs.map(canonical));
  for (const f of [...outputs, siblingPath(o.out, 'lock')]) {
    if (inputs.has(canonical(f))) throw new UserError(`--out ${o.out} would write over ${f}, which this run reads; choose another --out`);
  }
  const lock = await takeLock(siblingPath(o.out, 'lock'));
  try {
    if (!o.resume && !o.force) {
      const existing = outputs.find((f) => existsSync(f));
      if (existing) throw new UserError(`${existing} already exists: give --resume to continue that run, --force to train over it, or another --out`);
    }
  } catch (e) {
    await lock.release();
    throw e;
  }
  return lock;
}

/** The path as the file system sees it (symlinks and `..` resolved), so two spellings of one file match. */
function canonical(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

async function checkWritable(out: string): Promise<void> {
  for (const f of [siblingPath(out, 'best'), siblingPath(out, 'latest')]) {
    if (existsSync(f) && statSync(f).isDirectory()) throw new UserError(`--out ${out}: ${f} is a folder; give another --out`);
  }
  await checkWritableFile(out, '--out');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** OUT.lock holds the pid of the run writing OUT; a lock whose process is gone is taken over with a note. */
async function takeLock(file: string): Promise<RunClaim> {
  const notes: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`cannot create the lock file ${file} (${(e as NodeJS.ErrnoException).code})`);
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      } catch {
        // Removed meanwhile, or unreadable: treated as stale below.
      }
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new UserError(`another training run (process ${pid}) is writing ${file.replace(/\.lock$/, '')}; wait for it to finish or choose another --out (if no run is going on, remove ${file})`);
      }
      notes.push(`${file} was left by a run that ended without removing it${Number.isInteger(pid) ? ` (process ${pid})` : ''}; taking it over`);
      await fs.rm(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    const releaseNow = () => {
      try {
        if (Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    // A run ended by process.exit (a second Ctrl-C) leaves no lock behind either.
    process.once('exit', releaseNow);
    return {
      notes,
      async release() {
        process.off('exit', releaseNow);
        releaseNow();
      },
    };
  }
  throw new UserError(`cannot take the lock ${file}: another run keeps creating it; choose another --out`);
}
