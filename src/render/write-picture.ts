// Writes a picture as base.svg and base.png. Each file is written to a temporary name in the same directory
// and renamed into place, so a reader (a browser refresh, the Discord bot attaching it) never sees half a file.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PictureFiles {
  svgPath: string;
  pngPath: string;
}

/** `out/gates.png`, `out/gates.svg` and `out/gates` all name the pair out/gates.{svg,png}. */
export function pictureBase(basePath: string): string {
  return basePath.replace(/\.(svg|png)$/i, '');
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writePicture(basePath: string, pic: { svg: string; png: Buffer }): Promise<PictureFiles> {
  const base = pictureBase(basePath);
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  await mkdir(dirname(base), { recursive: true });
  await Promise.all([writeAtomic(svgPath, pic.svg), writeAtomic(pngPath, pic.png)]);
  return { svgPath, pngPath };
}
