// The safetensors container: 8-byte little-endian header length, a JSON header (tensor name → dtype,
// shape, byte offsets; "__metadata__" → string map), then raw little-endian tensor bytes.
import { CheckpointError } from '../errors.ts';
import type { Arr } from './backend.ts';
import { toBfloat16Bits, toHalfBits, widen16 } from './half.ts';

/** F16 and BF16 tensors are narrowed on write and widened to Float32 on read (data is always F32 or F64). */
export type Dtype = 'F32' | 'F64' | 'F16' | 'BF16';
const WIDTH: Record<Dtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
const NARROW = { F16: toHalfBits, BF16: toBfloat16Bits };

export interface TensorEntry {
  dtype: Dtype;
  shape: number[];
  data: Arr;
}

export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Map<string, TensorEntry>;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('safetensors I/O assumes a little-endian machine');
}

export function encodeSafetensors(metadata: Record<string, string>, tensors: Array<[string, TensorEntry]>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * WIDTH[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // align tensor data to 8 bytes
  const head = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + head.length + offset);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let pos = 8 + head.length;
  for (const [, t] of tensors) {
    const typed =
      t.dtype === 'F16' || t.dtype === 'BF16' ? Uint16Array.from(t.data, NARROW[t.dtype])
      : t.dtype === 'F32' ? Float32Array.from(t.data) : Float64Array.from(t.data);
    Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).copy(out, pos);
    pos += typed.byteLength;
  }
  return out;
}

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  entries: Array<{ name: string; dtype: Dtype; shape: number[]; offsets: [number, number] }>;
  /** Where the tensor data starts (8 + the header's length). */
  dataStart: number;
}

/**
 * Reads and checks the header of a safetensors file of `fileSize` bytes; `buf` holds at least its first
 * 8 + header-length bytes. Everything in it comes from the file, so every field is checked: a damaged or
 * hostile file gives a CheckpointError, never a TypeError or a huge allocation.
 */
export function readSafetensorsHeader(file: string, buf: Buffer, fileSize = buf.length): SafetensorsHeader {
  if (buf.length < 8) throw new CheckpointError(file, `truncated: ${buf.length} bytes is too short for a safetensors header`);
  const n = Number(buf.readBigUInt64LE(0));
  if (n > fileSize - 8 || n > buf.length - 8) throw new CheckpointError(file, `truncated or not a safetensors file (header of ${n} bytes, file of ${fileSize})`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  } catch {
    throw new CheckpointError(file, 'corrupt: the safetensors header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new CheckpointError(file, 'corrupt: the header is not an object');
  const dataStart = 8 + n;
  const metadata = header.__metadata__ ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
    throw new CheckpointError(file, 'corrupt: the header\'s __metadata__ is not a map of strings');
  }
  const size = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const entries: SafetensorsHeader['entries'] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const shown = JSON.stringify(name).slice(0, 80);
    if (typeof entry !== 'object' || entry === null) throw new CheckpointError(file, `corrupt: tensor ${shown} is not described by an object`);
    const { dtype, shape, data_offsets: off } = entry as { dtype: unknown; shape: unknown; data_offsets: unknown };
    if (typeof dtype !== 'string' || !Object.hasOwn(WIDTH, dtype)) throw new CheckpointError(file, `tensor ${shown} has unsupported dtype ${JSON.stringify(dtype)?.slice(0, 40)}`);
    if (!Array.isArray(shape) || !shape.every(size)) throw new CheckpointError(file, `corrupt: tensor ${shown} has a shape that is not a list of sizes`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every(size) || off[0] > off[1]) throw new CheckpointError(file, `corrupt: tensor ${shown} has inconsistent offsets`);
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== elements * WIDTH[dtype as Dtype]) throw new CheckpointError(file, `corrupt: tensor ${shown} has inconsistent offsets`);
    if (dataStart + off[1] > fileSize) throw new CheckpointError(file, `truncated: tensor ${shown} runs past the end of the file`);
    entries.push({ name, dtype: dtype as Dtype, shape: shape as number[], offsets: off as [number, number] });
  }
  return { metadata: metadata as Record<string, string>, entries, dataStart };
}

export function decodeSafetensors(file: string, buf: Buffer): SafetensorsFile {
  const { metadata, entries, dataStart } = readSafetensorsHeader(file, buf);
  const tensors = new Map<string, TensorEntry>();
  for (const { name, dtype, shape, offsets: off } of entries) {
    // Copy into an aligned buffer: the file's data section need not be aligned in memory.
    const bytes = new Uint8Array(buf.subarray(dataStart + off[0], dataStart + off[1]));
    const data =
      dtype === 'F16' || dtype === 'BF16' ? widen16(dtype, new Uint16Array(bytes.buffer))
      : dtype === 'F32' ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
    tensors.set(name, { dtype, shape, data });
  }
  return { metadata, tensors };
}
