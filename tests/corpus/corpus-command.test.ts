import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { corpusCommand } from '../../src/cli/commands/corpus.ts';
import { textStats } from '../../src/corpus/stats.ts';
import { UserError } from '../../src/errors.ts';

const fixture = readFileSync(resolve(import.meta.dirname, '../fixtures/gutenberg/older.txt'), 'utf8');
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/cache/epub/90002/pg90002.txt') res.writeHead(200).end(fixture);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

let dir: string;
let out: string[];
const io = { log: (line: string) => out.push(line) };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-command-'));
  out = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('storyteller corpus fetch', () => {
  it('saves the book under --out and prints where it went', async () => {
    const code = await corpusCommand(['fetch', '90002', '--out', dir, '--base-url', baseUrl], io);
    expect(code).toBe(0);
    const file = join(dir, '90002-the-owl-who-slept-late.txt');
    expect(readFileSync(file, 'utf8')).toMatch(/^THE OWL WHO SLEPT LATE\n/);
    expect(out).toEqual([`ebook 90002: The Owl Who Slept Late -> ${file} (${readFileSync(file).length} bytes)`]);
  });

  it('throws a UserError for a missing ebook', async () => {
    await expect(corpusCommand(['fetch', '5', '--out', dir, '--base-url', baseUrl], io)).rejects.toThrow(/^ebook 5 not found/);
  });

  it('requires at least one ebook number', async () => {
    await expect(corpusCommand(['fetch', '--out', dir], io)).rejects.toThrow(UserError);
  });
});

describe('storyteller corpus stats', () => {
  beforeEach(() => {
    writeFileSync(join(dir, 'one.txt'), 'See Spot run.\n');
    writeFileSync(join(dir, 'two.txt'), 'Run, Spot, run!\nOh, oh!\n');
  });

  it('prints a table with a total row', async () => {
    expect(await corpusCommand(['stats', dir], io)).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('one.txt');
    expect(lines[3]).toMatch(/^total\s/);
  });

  it('prints one JSON object per file and one for the total with --json', async () => {
    expect(await corpusCommand(['stats', '--json', join(dir, 'one.txt'), join(dir, 'two.txt')], io)).toBe(0);
    const objects = out.map((line) => JSON.parse(line));
    expect(objects[0]).toEqual({ file: join(dir, 'one.txt'), ...textStats('See Spot run.\n') });
    expect(objects[1].file).toBe(join(dir, 'two.txt'));
    expect(objects[2]).toMatchObject({ total: true, files: 2, lines: 3, words: 8 });
  });
});

describe('storyteller corpus argument errors', () => {
  it('rejects unknown flags with a UserError naming the flag', async () => {
    await expect(corpusCommand(['stats', '--jsn', dir], io)).rejects.toThrow(UserError);
    await expect(corpusCommand(['stats', '--jsn', dir], io)).rejects.toThrow(/--jsn/);
    await expect(corpusCommand(['fetch', '11', '--outdir', dir], io)).rejects.toThrow(/--outdir/);
  });

  it('rejects a missing or unknown subcommand', async () => {
    await expect(corpusCommand([], io)).rejects.toThrow(/fetch or stats/);
    await expect(corpusCommand(['download', '11'], io)).rejects.toThrow(/unknown subcommand 'download'/);
  });

  it('prints usage for --help and succeeds', async () => {
    expect(await corpusCommand(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/storyteller corpus fetch/);
    out = [];
    expect(await corpusCommand(['stats', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/storyteller corpus stats/);
  });
});
