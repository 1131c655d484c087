// A first-fit allocator over a WebAssembly.Memory, kept in TypeScript so the C side needs no libc:
// gemm.c only ever receives byte offsets. Blocks are aligned to 64 bytes (a cache line, and a
// multiple of the 16 bytes a v128 access wants). Memory grows on demand and never shrinks
// (WebAssembly cannot give pages back); freed blocks are coalesced and reused.

const ALIGN = 64;
const PAGE = 65536;
/** wasm32 addresses are 32-bit: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

interface FreeBlock {
  start: number;
  size: number;
}

export class WasmHeap {
  /** Free blocks sorted by address, never adjacent (adjacent ones are merged). */
  private readonly freeBlocks: FreeBlock[] = [];
  /** Size of every live allocation, by address. */
  private readonly live = new Map<number, number>();
  /** First byte not yet handed to the heap (everything from here to the memory's end is free). */
  private top: number;
  /** Every byte from here on has never been handed out: still the zeros memory.grow gave it. */
  private neverUsed: number;
  private allocated = 0;
  private peak = 0;
  /** How many times this heap has grown the memory (each growth replaces its ArrayBuffer). */
  growths = 0;
  /** While set, an allocation that would grow the memory throws instead (see `lockGrowth`). */
  private growthLock: string | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = alignUp(base);
    this.neverUsed = this.top;
  }

  /** Bytes currently allocated (blocks are rounded up to 64 bytes). */
  get allocatedBytes(): number {
    return this.allocated;
  }

  /** The most bytes allocated at once since the heap was made or `resetPeak()`. */
  get peakBytes(): number {
    return this.peak;
  }

  resetPeak(): void {
    this.peak = this.allocated;
  }

  /** Whether the live block at `ptr` lay wholly in memory never handed out before (so it holds zeros). */
  isUnused(ptr: number): boolean {
    return this.unusedBlocks.has(ptr);
  }

  /**
   * Grows the memory now, if needed, so that allocations totalling `bytes` more fit without
   * growing it (each block rounded up to 64 bytes: count them that way).
   */
  reserve(bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`WasmHeap.reserve: ${bytes} is not a byte count`);
    this.ensureCapacity(this.top + alignUp(bytes));
  }

  /**
   * Runs `fn` with growth forbidden: an allocation that would grow the memory throws, naming
   * `who`. Growth replaces the memory's ArrayBuffer and empties every Float32Array view of the old
   * one, so code that holds views across allocations runs under this lock after a `reserve`.
   */
  lockGrowth<T>(who: string, fn: () => T): T {
    return this.withLock(who, fn);
  }

  /**
   * Runs `fn` with growth allowed again inside a `lockGrowth` (for steps that hold no views:
   * packing weights inside a layer). What `fn` keeps (the packed weights) counts against the
   * layer's reservation, as before; what it allocates and frees again (staging, a transform's
   * block) does not: afterwards the memory has room for the rest of the reservation above the
   * new top.
   */
  allowGrowth<T>(fn: () => T): T {
    const locked = this.growthLock !== undefined;
    const headroom = Math.max(0, this.memory.buffer.byteLength - this.top);
    const before = this.allocated;
    return this.withLock(undefined, () => {
      const result = fn();
      if (locked) {
        const kept = Math.max(0, this.allocated - before);
        try {
          this.ensureCapacity(this.top + Math.max(0, headroom - kept));
        } catch (error) {
          // At the 4 GiB limit: the locked allocations may still fit; if not, they say so.
          if (!(error instanceof RangeError)) throw error;
        }
      }
      return result;
    });
  }

  private withLock<T>(who: string | undefined, fn: () => T): T {
    const previous = this.growthLock;
    this.growthLock = who;
    try {
      return fn();
    } finally {
      this.growthLock = previous;
    }
  }

  /** Returns the byte offset of a fresh block of at least `bytes` bytes, 64-byte aligned. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`WasmHeap.alloc: ${bytes} is not a byte count`);
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.freeBlocks.length; i++) {
      const block = this.freeBlocks[i]!;
      if (block.size < size) continue;
      const start = block.start;
      if (block.size === size) this.freeBlocks.splice(i, 1);
      else {
        block.start += size;
        block.size -= size;
      }
      return this.handOut(start, size);
    }
    const start = this.top;
    this.ensureCapacity(start + size);
    this.top = start + size;
    return this.handOut(start, size);
  }

  /** Live blocks that lay wholly in the never-used region when handed out. */
  private readonly unusedBlocks = new Set<number>();

  private handOut(start: number, size: number): number {
    this.live.set(start, size);
    if (start >= this.neverUsed) this.unusedBlocks.add(start);
    this.neverUsed = Math.max(this.neverUsed, start + size);
    this.allocated += size;
    if (this.allocated > this.peak) this.peak = this.allocated;
    return start;
  }

  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`WasmHeap.free: ${ptr} is not a live allocation`);
    this.live.delete(ptr);
    this.unusedBlocks.delete(ptr);
    this.allocated -= size;
    if (ptr + size === this.top) {
      // Give the tail back to the untouched region, then swallow a free block that now ends there.
      this.top = ptr;
      const last = this.freeBlocks[this.freeBlocks.length - 1];
      if (last && last.start + last.size === this.top) {
        this.top = last.start;
        this.freeBlocks.pop();
      }
      return;
    }
    const blocks = this.freeBlocks;
    let i = 0;
    while (i < blocks.length && blocks[i]!.start < ptr) i++;
    const before = blocks[i - 1];
    const after = blocks[i];
    if (before && before.start + before.size === ptr) {
      before.size += size;
      if (after && before.start + before.size === after.start) {
        before.size += after.size;
        blocks.splice(i, 1);
      }
    } else if (after && ptr + size === after.start) {
      after.start = ptr;
      after.size += size;
    } else {
      blocks.splice(i, 0, { start: ptr, size });
    }
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (this.growthLock !== undefined) {
      throw new Error(
        `WasmHeap: ${this.growthLock} allocated ${mib(end - have)} MiB more than was reserved (the memory may not grow here)`,
      );
    }
    const pages = Math.ceil((end - have) / PAGE);
    const current = have / PAGE;
    if (current + pages > MAX_PAGES) {
      throw new RangeError(`WebAssembly memory is limited to 4 GiB: ${mib(have)} MiB in use, ${mib(end - have)} MiB more requested`);
    }
    // Grow by at least an eighth so that a sequence of slightly larger requests does not grow
    // (and invalidate every Float32Array view) once per call.
    const extra = Math.min(MAX_PAGES - current, Math.max(pages, Math.ceil(current / 8)));
    this.growths++;
    try {
      this.memory.grow(extra);
    } catch {
      try {
        this.memory.grow(pages);
      } catch (e) {
        throw new RangeError(`WebAssembly memory could not grow from ${mib(have)} MiB by ${mib(end - have)} MiB: ${String(e)}`, {
          cause: e,
        });
      }
    }
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}
