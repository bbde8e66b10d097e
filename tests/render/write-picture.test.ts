import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePicture } from '../../src/render/write-picture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'write-picture-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pic = { svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', png: Buffer.from([0x89, 1, 2, 3]) };

describe('writePicture', () => {
  it('writes base.svg and base.png with the picture contents', async () => {
    const paths = await writePicture(join(dir, 'gates'), pic);
    expect(paths).toEqual({ svgPath: join(dir, 'gates.svg'), pngPath: join(dir, 'gates.png') });
    expect(await readFile(paths.svgPath, 'utf8')).toBe(pic.svg);
    expect((await readFile(paths.pngPath)).equals(pic.png)).toBe(true);
  });

  it('strips a .png or .svg extension from the base path', async () => {
    expect((await writePicture(join(dir, 'a.png'), pic)).svgPath).toBe(join(dir, 'a.svg'));
    expect((await writePicture(join(dir, 'b.SVG'), pic)).pngPath).toBe(join(dir, 'b.png'));
  });

  it('leaves no temporary files behind', async () => {
    await writePicture(join(dir, 'x'), pic);
    expect((await readdir(dir)).sort()).toEqual(['x.png', 'x.svg']);
  });

  it('replaces existing files', async () => {
    await writeFile(join(dir, 'x.svg'), 'old');
    await writePicture(join(dir, 'x'), pic);
    expect(await readFile(join(dir, 'x.svg'), 'utf8')).toBe(pic.svg);
  });

  it('creates missing directories', async () => {
    const { pngPath } = await writePicture(join(dir, 'deep', 'er', 'plot'), pic);
    expect((await readFile(pngPath)).equals(pic.png)).toBe(true);
  });

  it('cleans up its temporary file when a write fails', async () => {
    // A directory where the .svg should go makes the rename fail after the temp file was written.
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'y.svg')));
    await expect(writePicture(join(dir, 'y'), pic)).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
