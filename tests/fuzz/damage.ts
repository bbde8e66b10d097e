// Damaged real checkpoints for the fuzz tests: truncated, bytes flipped, the length prefix rewritten, the
// JSON header edited. Each value carries a short description, which a failure prints instead of the bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ROOT } from '../support/cli.ts';

export const SOURCES = ['long-dep-rnn', 'long-dep-lstm', 'doug-jane-spot'].map((n) => readFileSync(path.join(ROOT, 'models', `${n}.safetensors`)));

export function split(buf: Buffer): { header: Record<string, any>; data: Buffer } {
  const n = Number(buf.readBigUInt64LE(0));
  return { header: JSON.parse(buf.subarray(8, 8 + n).toString('utf8')), data: buf.subarray(8 + n) };
}

export function join(header: unknown, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header) ?? 'null', 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

/** Any JSON value, nested a few levels: what a broken writer or a hostile file could put anywhere. */
const garbage = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0.5, 2 ** 53, '', 'F32', 'F64', 'F16', 'I32', '__proto__', 'NaN'),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('dtype', 'shape', 'data_offsets', 'x', '__proto__', 'constructor'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const smallInts = fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1e20, 0.5, -0));

type Edit = ((h: Record<string, any>) => void) & { how?: string };
/** A mutation with a short description, which is what a failure prints instead of half a megabyte. */
type Mutation = { how: string; apply: (b: Buffer) => Buffer };
const described = <F extends (...a: any[]) => any>(how: string, f: F): F & { how: string } => Object.assign(f, { how });
const tensorEdit: fc.Arbitrary<Edit> = fc.tuple(fc.nat(), fc.oneof(
  fc.tuple(fc.constant('dtype'), fc.oneof(fc.constantFrom('F16', 'BF16', 'I32', 'U8', 'f32', 'F64', 'F32', ''), garbage)),
  fc.tuple(fc.constant('shape'), fc.oneof(fc.array(smallInts, { maxLength: 4 }), garbage)),
  fc.tuple(fc.constant('data_offsets'), fc.oneof(fc.tuple(smallInts, smallInts).map(([a, b]) => [a * 4, b * 4]), fc.array(smallInts, { maxLength: 3 }), garbage)),
  fc.tuple(fc.constant('(entry)'), garbage),
  fc.tuple(fc.constant('(delete)'), fc.constant(null)),
)).map(([i, [key, value]]) => described(`tensor #${i} ${key} = ${JSON.stringify(value)}`, (h: Record<string, any>) => {
  const names = Object.keys(h).filter((k) => k !== '__metadata__');
  const name = names[i % names.length]!;
  if (key === '(entry)') h[name] = value;
  else if (key === '(delete)') delete h[name];
  else h[name][key] = value;
}));

// The metadata holds JSON strings (config, tokenizer, card) and plain strings (format, format_version).
const metaEdit: fc.Arbitrary<Edit> = fc.tuple(
  fc.constantFrom('format', 'format_version', 'config', 'tokenizer', 'card', 'training', 'optimizer_t', '(all)'),
  fc.oneof(fc.constant('(inner)'), garbage),
  fc.constantFrom('cell', 'layers', 'hiddenSize', 'embeddingSize', 'vocabSize', 'dropout', 'tieWeights', 'level', 'vocab', 'unwrap', 'valBpc', 'valLoss', 'valPerplexity', 'steps', 'wallSec', 'trainLoss', 'data', 'name', 'selectedBy', 'initFrom'),
  garbage,
).map(([key, value, innerKey, innerValue]) => described(`metadata ${key}${value === '(inner)' ? `.${innerKey} = ${JSON.stringify(innerValue)}` : ` = ${JSON.stringify(value)}`}`, (h: Record<string, any>) => {
  if (key === '(all)') return void (h.__metadata__ = value === '(inner)' ? innerValue : value);
  if (!h.__metadata__ || typeof h.__metadata__ !== 'object') h.__metadata__ = {};
  const meta = h.__metadata__;
  if (value !== '(inner)') return void (meta[key] = typeof value === 'string' || Math.abs(innerKey.length % 2) ? value : JSON.stringify(value));
  // Edit one field inside the JSON string (config's hiddenSize, the card's valBpc, the tokenizer's vocab…).
  let inner: any;
  try {
    inner = JSON.parse(meta[key]);
  } catch {
    inner = {};
  }
  if (inner && typeof inner === 'object') inner[innerKey] = innerValue;
  meta[key] = JSON.stringify(inner) ?? 'null';
}));

const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => ({ how: `truncated to ${n} bytes (modulo the size)`, apply: (b: Buffer) => b.subarray(0, n % b.length) })),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 8 }).map((flips) => ({
    how: `bytes xored ${JSON.stringify(flips)} ([position, xor, in header])`,
    apply: (b: Buffer) => {
      const out = Buffer.from(b);
      const headerEnd = 8 + Number(b.readBigUInt64LE(0));
      // Half the flips land in the header, where they matter most.
      for (const [pos, x, inHeader] of flips) out[inHeader ? pos % headerEnd : pos % out.length] ^= x;
      return out;
    },
  })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => ({
    how: `header length ${n}`,
    apply: (b: Buffer) => {
      const out = Buffer.from(b);
      out.writeBigUInt64LE(n);
      return out;
    },
  })),
  fc.array(fc.oneof(tensorEdit, metaEdit), { minLength: 1, maxLength: 3 }).map((edits) => ({
    how: edits.map((e) => e.how).join('; '),
    apply: (b: Buffer) => {
      const { header, data } = split(b);
      for (const e of edits) e(header);
      return join(header, data);
    },
  })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ how: `the bytes ${Buffer.from(bytes).toString('hex')}`, apply: () => Buffer.from(bytes) })),
);

const SOURCE_NAMES = ['long-dep-rnn', 'long-dep-lstm', 'doug-jane-spot'];
export const damagedCheckpoint = fc.tuple(fc.nat({ max: SOURCES.length - 1 }), byteMutation).map(([i, m]) => {
  const bytes = m.apply(SOURCES[i]!);
  const how = `${SOURCE_NAMES[i]}: ${m.how}`;
  return { bytes, how, [fc.toStringMethod]: () => how };
});

