// Writes a picture as base.svg and base.png. Each file is written to a temporary name in the same directory
// and renamed into place, so a reader (a browser refresh, the Discord bot attaching it) never sees half a file.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';

export interface PictureFiles {
  svgPath: string;
  pngPath: string;
}

/** `out/gates.png`, `out/gates.svg` and `out/gates` all name the pair out/gates.{svg,png}. */
export function pictureBase(basePath: string): string {
  return basePath.replace(/\.(svg|png)$/i, '');
}

export async function writePicture(basePath: string, pic: { svg: string; png: Buffer }): Promise<PictureFiles> {
  const base = pictureBase(basePath);
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  await mkdir(dirname(base), { recursive: true });
  await Promise.all([writeFileAtomic(svgPath, pic.svg), writeFileAtomic(pngPath, pic.png)]);
  return { svgPath, pngPath };
}
