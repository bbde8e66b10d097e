// The package as a user gets it: `npm pack` of this checkout (the build that `npm test` has just made),
// installed into a scratch consumer project. No network: the consumer gets a package-lock.json whose
// entries (resolved URL and integrity) come from this checkout's own lockfile, so `npm ci --offline`
// takes every tarball from the npm cache that installing the checkout filled.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/cli.ts';
import { scratchDir } from '../support/scratch.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PackedInstall {
  /** The consumer project: its package.json, package-lock.json and node_modules. */
  dir: string;
  /** The tarball `npm pack` wrote and its size in bytes. */
  tarball: string;
  tarballBytes: number;
  /** Where the package was installed: dir/node_modules/lstm-storyteller. */
  packageDir: string;
  /** Writes a file into the consumer project (folders created as needed) and returns its path. */
  write(name: string, text: string): string;
  /** Runs `node FILE ARGS` in the consumer project. */
  node(file: string, args?: string[], opts?: RunOptions): Run;
  /** Runs a command (e.g. npx, the clone's tsc) in the consumer project. */
  run(command: string, args: string[], opts?: RunOptions): Run;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  license?: string;
};

function exec(command: string, args: string[], cwd: string, opts: RunOptions = {}): Run {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...opts.env },
    timeout: opts.timeoutMs ?? 180_000,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr || r.stdout}`);
  return r;
}

let packed: { tarball: string; bytes: number } | undefined;

/** `npm pack` of the checkout, once per test file. Packs the existing build: `npm test` builds first. */
export function packTarball(): { tarball: string; bytes: number } {
  if (packed) return packed;
  if (!existsSync(path.join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the package tests');
  const dest = scratchDir('pack');
  // --ignore-scripts: prepack would clean and rebuild dist/ while other test files run the CLI from it.
  const r = must(exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT), 'npm pack');
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
  const tarball = path.join(dest, info.filename);
  packed = { tarball, bytes: statSync(tarball).size };
  return packed;
}

/** The checkout's lockfile entries for `names` and everything they need, at the paths npm placed them. */
function lockClosure(names: string[]): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const out: Record<string, LockEntry> = {};
  // Node's resolution: look in the requiring package's own node_modules, then in each folder above it.
  const locate = (from: string, name: string): string | undefined => {
    for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
      const key = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (lock.packages[key]) return key;
      if (!at) return undefined;
    }
  };
  const visit = (from: string, name: string, optional: boolean) => {
    const key = locate(from, name);
    if (!key) {
      if (optional) return;
      throw new Error(`${name} (needed by ${from || 'the consumer'}) is not in package-lock.json`);
    }
    if (out[key]) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[key];
    const registryName = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved ??= `https://registry.npmjs.org/${registryName}/-/${registryName.split('/').pop()}-${entry.version}.tgz`;
    out[key] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(key, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) visit(key, dep, !!entry.peerDependenciesMeta?.[dep]?.optional);
  };
  for (const name of names) visit('', name, false);
  return out;
}

const installs = new Map<string, PackedInstall>();

/**
 * The packed package installed offline into a fresh consumer project, once per test file for each set of
 * `extra` packages. `extra` names packages a consumer adds beside it (e.g. ['discord.js'] for a bot), at
 * the versions in this checkout's lockfile.
 */
export function installPacked(opts: { extra?: string[] } = {}): PackedInstall {
  const extra = [...(opts.extra ?? [])].sort();
  const cached = installs.get(extra.join(' '));
  if (cached) return cached;
  const { tarball, bytes } = packTarball();
  const dir = scratchDir('consumer');
  const spec = `file:${path.relative(dir, tarball)}`;
  const closure = lockClosure([...Object.keys(PACKAGE.dependencies ?? {}), ...extra]);
  const dependencies: Record<string, string> = { [PACKAGE.name]: spec };
  for (const name of extra) dependencies[name] = closure[`node_modules/${name}`].version;
  const manifest = { name: 'storyteller-consumer', version: '1.0.0', private: true, type: 'module', dependencies };
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, version: manifest.version, dependencies },
      [`node_modules/${PACKAGE.name}`]: {
        version: PACKAGE.version,
        resolved: spec,
        license: PACKAGE.license,
        dependencies: PACKAGE.dependencies,
        bin: PACKAGE.bin,
        peerDependencies: PACKAGE.peerDependencies,
        peerDependenciesMeta: PACKAGE.peerDependenciesMeta,
      },
      ...closure,
    },
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
  must(exec('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir), 'npm ci --offline in the consumer project');
  const install: PackedInstall = {
    dir,
    tarball,
    tarballBytes: bytes,
    packageDir: path.join(dir, 'node_modules', PACKAGE.name),
    write(name, text) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    node: (file, args = [], o) => exec(process.execPath, [file, ...args], dir, o),
    run: (command, args, o) => exec(command, args, dir, o),
  };
  installs.set(extra.join(' '), install);
  return install;
}
