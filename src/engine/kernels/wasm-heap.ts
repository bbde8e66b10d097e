/**
 * Kernel memory: one shared, growable WebAssembly.Memory and one compiled module per JS thread, with the
 * allocator that hands out Float32Array views of it.
 *
 * Why shared memory: growth of a shared memory never detaches existing views, so alloc() can hand out
 * Float32Arrays that stay valid forever, and helper threads see the very same bytes without copies.
 */
import { GEMM_WASM_BASE64, KERNEL_SHAPE } from './gemm-wasm.generated.ts';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the whole 32-bit address space, reserved but not committed
const ALIGN = 64;

export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
  } catch {
    return false;
  }
}

let bytesCache: Uint8Array<ArrayBuffer> | undefined;
function wasmBytes(): Uint8Array<ArrayBuffer> {
  bytesCache ??= new Uint8Array(Buffer.from(GEMM_WASM_BASE64, 'base64'));
  return bytesCache;
}

/** One memory and one module for the process; each Kernels instance (thread count) gets its own scratch. */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  private top = 1024;
  /** Every SharedArrayBuffer object the memory has had: views made before a growth keep the old object. */
  private readonly buffers = new Set<ArrayBufferLike>();

  constructor() {
    this.module = new WebAssembly.Module(wasmBytes());
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES, shared: true });
    this.buffers.add(this.memory.buffer);
  }

  /** Blocks handed out by allocBytes that may be freed: address → rounded size in bytes. */
  private readonly live = new Map<number, number>();
  /** Freed blocks by rounded size, reused only for requests of exactly that size (state buffers recur). */
  private readonly free = new Map<number, number[]>();

  /** Byte address of n zeroed floats: a freed block of the same size, else fresh (still zero) memory. */
  allocBytes(n: number, freeable = false): number {
    const bytes = Math.max(ALIGN, Math.ceil((n * 4) / ALIGN) * ALIGN);
    const reuse = this.free.get(bytes)?.pop();
    if (reuse !== undefined) {
      new Uint8Array(this.memory.buffer, reuse, bytes).fill(0);
      this.live.set(reuse, bytes);
      return reuse;
    }
    const addr = this.top;
    const end = addr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const need = Math.ceil((end - have) / PAGE);
      // Grow at least by a quarter so repeated small allocations do not grow page by page.
      const pages = Math.max(need, Math.ceil(have / PAGE / 4));
      const current = have / PAGE;
      const grant = Math.min(pages, MAX_PAGES - current);
      if (grant < need) throw new RangeError(`kernel memory exhausted: cannot allocate ${n} floats`);
      this.memory.grow(grant);
      this.buffers.add(this.memory.buffer);
    }
    this.top = end;
    if (freeable) this.live.set(addr, bytes);
    return addr;
  }

  /** Returns a block from alloc() for reuse; anything else (a subarray, a foreign array, a second free) is ignored. */
  release(a: Float32Array): void {
    if (!this.owns(a)) return;
    const bytes = this.live.get(a.byteOffset);
    if (bytes === undefined || Math.max(ALIGN, Math.ceil((a.length * 4) / ALIGN) * ALIGN) !== bytes) return;
    this.live.delete(a.byteOffset);
    let list = this.free.get(bytes);
    if (!list) this.free.set(bytes, (list = []));
    list.push(a.byteOffset);
  }

  view(addr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, addr, n);
  }

  owns(a: Float32Array): boolean {
    return this.buffers.has(a.buffer);
  }
}

let heap: WasmHeap | undefined;

/** This JS thread's heap, made on first use; null where WebAssembly SIMD or shared memory is unavailable. */
export function sharedHeap(): WasmHeap | null {
  if (!wasmSimdSupported()) return null;
  try {
    heap ??= new WasmHeap();
  } catch {
    return null; // e.g. shared memory unavailable
  }
  return heap;
}

/** A growable region of wasm memory to copy foreign arrays into. */
export class Scratch {
  private addr = 0;
  private size = 0;
  constructor(private readonly h: WasmHeap) {}
  get(n: number): number {
    if (n > this.size) {
      this.size = Math.max(n, Math.ceil(this.size * 1.5));
      this.addr = this.h.allocBytes(this.size);
    }
    return this.addr;
  }
}

/** Per-thread scratch of the gemm kernels: the micro-kernel's tile and the packed blocks of A and B. */
export interface ThreadScratch { tmp: number; sa: number; sb: number }

export function threadScratch(h: WasmHeap): ThreadScratch {
  const { MR, NR, KC, MC, NC } = KERNEL_SHAPE;
  return {
    tmp: h.allocBytes(MR * NR),
    sa: h.allocBytes(Math.max(MC * KC, KERNEL_SHAPE.gemvNBlock)), // also gemv_n's running sums
    sb: h.allocBytes((NC + NR) * KC),
  };
}
