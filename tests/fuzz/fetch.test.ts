// Fuzz: what a Project Gutenberg mirror might answer to `corpus fetch` (a loopback server, no network): any
// status, redirects to nowhere or in a loop, any body bytes with or without the START/END markers, bodies cut
// off mid-transfer or shorter than their Content-Length. Property: exit 0-2 with one line on failure, never
// a stack trace; nothing written outside --out. Seed and case count: tests/support/fuzz.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClean, fuzz, FUZZ_SUITE } from '../support/fuzz.ts';
import { runInProcess } from '../support/in-process-cli.ts';
import { scratchDir } from '../support/scratch.ts';

interface Answer {
  status: number;
  body: Buffer;
  cut: boolean;
  lie: boolean;
  location?: string;
}

const START = '*** START OF THE PROJECT GUTENBERG EBOOK SOME TALES ***\n';
const END = '\n*** END OF THE PROJECT GUTENBERG EBOOK SOME TALES ***\n';
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(`Title: ${s}\n${START}${s}${END}`)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(`${START}Once upon a time ${s}.${END}`)),
  fc.constantFrom(Buffer.from(`${START}${END}`), Buffer.from(START), Buffer.alloc(0), Buffer.from('\ufeffTitle: X\r\n' + START.replace(/\n/g, '\r\n') + 'Text.\r\n' + END.replace(/\n/g, '\r\n'))),
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof({ weight: 3, arbitrary: fc.constant(200) }, fc.constantFrom(204, 301, 302, 403, 404, 410, 429, 500, 503, 999)),
  body,
  cut: fc.nat(4).map((n) => n === 0),
  lie: fc.nat(4).map((n) => n === 0),
  location: fc.option(fc.constantFrom('/cache/epub/11/pg11.txt', 'http://127.0.0.1:9/x', '::bad::', ''), { nil: undefined, freq: 3 }),
});

let server: Server;
let current: Answer;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const a = current;
    const headers: Record<string, string | number> = { 'content-type': 'text/plain' };
    if (a.location !== undefined) headers.location = a.location;
    if (a.lie) headers['content-length'] = a.body.length + 100;
    res.writeHead(a.status, headers);
    if (a.cut) {
      res.write(a.body.subarray(0, a.body.length >> 1));
      setTimeout(() => res.destroy(), 5);
    } else if (a.lie) {
      res.write(a.body);
      setTimeout(() => res.destroy(), 5);
    } else res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('fuzzed Gutenberg answers', FUZZ_SUITE, () => {
  it('corpus fetch against any answer', async () => {
    const dir = scratchDir('fuzz-fetch');
    await fuzz('fetch answers', answer, 60, async (a) => {
      current = a;
      rmSync(path.join(dir, 'out'), { recursive: true, force: true });
      const argv = ['corpus', 'fetch', '11', '--out', 'out', '--base-url', base];
      const r = await runInProcess(argv, dir);
      expectClean(r, [...argv, `(status ${a.status}, ${a.body.length} bytes${a.cut ? ', cut off' : ''}${a.lie ? ', Content-Length too big' : ''}${a.location !== undefined ? `, Location ${a.location}` : ''})`]);
      // Everything fetch writes goes under --out.
      expect(readdirSync(dir).filter((f) => f !== 'out')).toEqual([]);
      if (r.code !== 0) expect(!existsSync(path.join(dir, 'out')) || readdirSync(path.join(dir, 'out')).every((f) => !f.endsWith('.tmp'))).toBe(true);
      return `exit ${r.code}`;
    });
  });
});
