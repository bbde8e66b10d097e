// The safetensors container: 8-byte little-endian header length, a JSON header (tensor name → dtype,
// shape, byte offsets; "__metadata__" → string map), then raw little-endian tensor bytes.
import { CheckpointError } from '../errors.ts';
import type { Arr } from './backend.ts';
import { fromBfloat16Bits, fromHalfBits, toBfloat16Bits, toHalfBits } from './half.ts';

/** F16 and BF16 tensors are narrowed on write and widened to Float32 on read (data is always F32 or F64). */
export type Dtype = 'F32' | 'F64' | 'F16' | 'BF16';
const WIDTH: Record<Dtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
const NARROW = { F16: toHalfBits, BF16: toBfloat16Bits };
const WIDEN = { F16: fromHalfBits, BF16: fromBfloat16Bits };

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

export function decodeSafetensors(file: string, buf: Buffer): SafetensorsFile {
  if (buf.length < 8) throw new CheckpointError(file, `truncated: ${buf.length} bytes is too short for a safetensors header`);
  const n = Number(buf.readBigUInt64LE(0));
  if (n > buf.length - 8) throw new CheckpointError(file, `truncated or not a safetensors file (header of ${n} bytes, file of ${buf.length})`);
  let header: Record<string, any>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  } catch {
    throw new CheckpointError(file, 'corrupt: the safetensors header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null) throw new CheckpointError(file, 'corrupt: the header is not an object');
  const dataStart = 8 + n;
  const metadata: Record<string, string> = header.__metadata__ ?? {};
  const tensors = new Map<string, TensorEntry>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: off } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (typeof dtype !== 'string' || !Object.hasOwn(WIDTH, dtype)) throw new CheckpointError(file, `tensor ${name} has unsupported dtype ${dtype}`);
    const width = WIDTH[dtype as Dtype];
    const count = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(off) || off[1] - off[0] !== count * width) throw new CheckpointError(file, `corrupt: tensor ${name} has inconsistent offsets`);
    if (dataStart + off[1] > buf.length) throw new CheckpointError(file, `truncated: tensor ${name} runs past the end of the file`);
    // Copy into an aligned buffer: the file's data section need not be aligned in memory.
    const bytes = new Uint8Array(buf.subarray(dataStart + off[0], dataStart + off[1]));
    const data =
      dtype === 'F16' || dtype === 'BF16' ? Float32Array.from(new Uint16Array(bytes.buffer), WIDEN[dtype])
      : dtype === 'F32' ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
    tensors.set(name, { dtype: dtype as Dtype, shape, data });
  }
  return { metadata, tensors };
}
