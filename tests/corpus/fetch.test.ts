import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { cleanGutenberg } from '../../src/corpus/gutenberg-clean.ts';
import { fetchGutenbergBook, formatSources, parseSources, slugify } from '../../src/corpus/fetch.ts';

const fixtureDir = resolve(import.meta.dirname, '../fixtures/gutenberg');
const fixture = (name: string): string => readFileSync(resolve(fixtureDir, name), 'utf8');

// A loopback double of www.gutenberg.org: two books at their cache URLs, one reached by a redirect,
// one server that never answers, everything else 404.
const BOOKS: Record<string, string> = { '90001': 'modern.txt', '90002': 'older.txt' };
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const match = /^\/cache\/epub\/(\d+)\/pg(\d+)\.txt$/.exec(req.url ?? '');
    if (match?.[1] === '90003') {
      res.writeHead(302, { location: '/files/90003/90003-0.txt' }).end();
      return;
    }
    if (req.url === '/files/90003/90003-0.txt') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(fixture('small-print.txt'));
      return;
    }
    if (match?.[1] === '90004') return; // never answers: the client must time out
    if (match?.[1] === '90006') {
      // A mirror answering with binary bytes under status 200 (an error page of an image, a broken proxy).
      res.writeHead(200).end(Buffer.from([0x54, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff, 0xfe, 0x0a]));
      return;
    }
    if (match?.[1] === '90007') {
      res.writeHead(200).end(Buffer.from('Title: Caf\xe9\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\ncaf\xe9\n', 'latin1'));
      return;
    }
    if (match?.[1] === '90005') {
      res.writeHead(503).end('busy');
      return;
    }
    const file = match && match[1] === match[2] ? BOOKS[match[1]!] : undefined;
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    // Real files come with a BOM and CRLF line endings.
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`\uFEFF${fixture(file).replace(/\n/g, '\r\n')}`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'gutenberg-fetch-'));
  requests.length = 0;
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

const NOW = new Date('2031-03-04T12:00:00Z');

/** Message of the error a promise rejects with, checking it is a UserError. */
async function userErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message;
}

describe('fetchGutenbergBook', () => {
  it('requests /cache/epub/<n>/pg<n>.txt and saves the cleaned text as <n>-<slug>.txt', async () => {
    const book = await fetchGutenbergBook('90002', { baseUrl, outDir, now: NOW });
    expect(requests).toEqual(['/cache/epub/90002/pg90002.txt']);
    expect(book.file).toBe(join(outDir, '90002-the-owl-who-slept-late.txt'));
    expect(book.title).toBe('The Owl Who Slept Late');
    const saved = readFileSync(book.file, 'utf8');
    expect(saved).toBe(`${cleanGutenberg(fixture('older.txt')).text}\n`);
    expect(saved).not.toContain('\r');
    expect(book.bytes).toBe(Buffer.byteLength(saved));
  });

  it('follows redirects', async () => {
    const book = await fetchGutenbergBook('90003', { baseUrl, outDir, now: NOW });
    expect(requests).toEqual(['/cache/epub/90003/pg90003.txt', '/files/90003/90003-0.txt']);
    expect(book.title).toBe("The Hedgehog's Hat");
    expect(book.file).toBe(join(outDir, '90003-the-hedgehogs-hat.txt'));
  });

  it('records each book once in SOURCES.md, sorted by number', async () => {
    await fetchGutenbergBook('90002', { baseUrl, outDir, now: NOW });
    await fetchGutenbergBook('90001', { baseUrl, outDir, now: NOW });
    await fetchGutenbergBook('90002', { baseUrl, outDir, now: new Date('2031-05-06T00:00:00Z') });
    const rows = parseSources(readFileSync(join(outDir, 'SOURCES.md'), 'utf8'));
    expect(rows.map((r) => [r.ebook, r.date])).toEqual([
      [90001, '2031-03-04'],
      [90002, '2031-05-06'],
    ]);
    expect(rows[0]).toMatchObject({
      title: 'The Kitten and the Kite A Tale for Small Readers',
      file: '90001-the-kitten-and-the-kite-a-tale-for-small-readers.txt',
    });
    expect(rows[0]!.bytes).toBe(readFileSync(join(outDir, rows[0]!.file)).length);
  });

  it('leaves no temporary files behind', async () => {
    await fetchGutenbergBook('90001', { baseUrl, outDir, now: NOW });
    expect(readdirSync(outDir).sort()).toEqual(['90001-the-kitten-and-the-kite-a-tale-for-small-readers.txt', 'SOURCES.md']);
  });

  it('takes the base URL from GUTENBERG_BASE_URL when no option is given', async () => {
    const saved = process.env.GUTENBERG_BASE_URL;
    process.env.GUTENBERG_BASE_URL = baseUrl;
    try {
      const book = await fetchGutenbergBook('90002', { outDir, now: NOW });
      expect(book.url).toBe(`${baseUrl}/cache/epub/90002/pg90002.txt`);
    } finally {
      if (saved === undefined) delete process.env.GUTENBERG_BASE_URL;
      else process.env.GUTENBERG_BASE_URL = saved;
    }
  });

  it('reports a missing ebook as "ebook N not found"', async () => {
    const message = await userErrorOf(fetchGutenbergBook('424242', { baseUrl, outDir }));
    expect(message).toMatch(/^ebook 424242 not found/);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('reports other HTTP failures with their status', async () => {
    expect(await userErrorOf(fetchGutenbergBook('90005', { baseUrl, outDir }))).toMatch(/HTTP 503/);
  });

  it('reports a refused connection as "could not reach <host> (...); check your connection"', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const message = await userErrorOf(fetchGutenbergBook('90001', { baseUrl: `http://127.0.0.1:${port}`, outDir }));
    expect(message).toBe(`could not reach 127.0.0.1:${port} (ECONNREFUSED); check your connection`);
  });

  it('refuses an answer that is not UTF-8 text (binary, another encoding) and saves nothing', async () => {
    expect(await userErrorOf(fetchGutenbergBook('90006', { baseUrl, outDir }))).toMatch(/^127\.0\.0\.1:\d+ sent ebook 90006 as something other than UTF-8 text \(1 NUL byte, 2 invalid UTF-8 sequences, 1 control character\); nothing was saved$/);
    expect(await userErrorOf(fetchGutenbergBook('90007', { baseUrl, outDir }))).toMatch(/sent ebook 90007 as something other than UTF-8 text \(2 invalid UTF-8 sequences\)/);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const message = await userErrorOf(fetchGutenbergBook('90004', { baseUrl, outDir, timeoutMs: 200 }));
    expect(message).toMatch(/did not answer within 0.2s/);
  });

  it('refuses an --out that is a file before downloading anything', async () => {
    const file = join(outDir, 'notes.txt');
    writeFileSync(file, 'mine');
    expect(await userErrorOf(fetchGutenbergBook('90001', { baseUrl, outDir: file }))).toMatch(/notes\.txt.*cannot write in .*notes\.txt \(part of that path is a file\)/);
    expect(requests).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('rejects ebook ids that are not positive whole numbers, before any request', async () => {
    for (const id of ['alice', '11a', '-3', '1.5', '', '0']) {
      expect(await userErrorOf(fetchGutenbergBook(id, { baseUrl, outDir }))).toMatch(/not a Project Gutenberg ebook number/);
    }
    expect(requests).toEqual([]);
  });
});

describe('slugify', () => {
  it('lowercases, drops apostrophes and accents and joins words with hyphens', () => {
    expect(slugify("Alice's Adventures in Wonderland")).toBe('alices-adventures-in-wonderland');
    expect(slugify('Contes de fées: Vol. II')).toBe('contes-de-fees-vol-ii');
  });

  it('cuts long titles at a word boundary hyphen and never returns an empty slug', () => {
    expect(slugify('a'.repeat(10) + ' ' + 'b'.repeat(10), 12)).toBe('aaaaaaaaaa-b');
    expect(slugify('a'.repeat(10) + ' ' + 'b'.repeat(10), 11)).toBe('aaaaaaaaaa');
    expect(slugify('***')).toBe('untitled');
  });
});

describe('SOURCES.md rows', () => {
  it('survive a title containing a pipe', () => {
    const rows = [{ ebook: 7, title: 'Either | Or', file: '7-either-or.txt', bytes: 10, date: '2031-01-01' }];
    expect(parseSources(formatSources(rows))).toEqual(rows);
  });
});
