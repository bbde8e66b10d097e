// After `tsc -p tsconfig.build.json`: removes files in dist/ whose source in src/ is gone (a moved or
// deleted module), which an incremental build leaves behind and `npm pack` would ship.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const src = path.join(root, 'src');
const SOURCES = ['.ts', '.tsx', '.mts'];

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      if (readdirSync(file).length === 0) rmdirSync(file);
      continue;
    }
    const m = /^(.*?)(\.d\.ts|\.js)$/.exec(entry.name);
    if (!m) continue;
    const base = path.join(src, path.relative(dist, dir), m[1]);
    if (!SOURCES.some((ext) => existsSync(base + ext))) rmSync(file);
  }
}

if (existsSync(dist)) prune(dist);
