// The text of the watch's live pods, outside V8's heap (store.ts Tracked.slot). Kept as strings,
// each update's ~3 KB text was copied twice by the young generation's collector and was then
// old-generation garbage at the next update of the same pod: 5,000 live pods at full speed made
// 15 MB/s of it, and the collector's share of the watch's CPU was 22%. Here the heap holds one
// number per pod, and a pod's next text is written over its last (docs/performance.md: the watch).
// Shared chunks are never given back: the slab holds what the most pods live at once needed, and
// freed slots serve the pods that come next.

/** Bytes a chunk: slots are carved from chunks this size, a text longer than a quarter gets its own. */
const CHUNK = 4 * 2 ** 20;
/**
 * Slot sizes are multiples of GRAIN, so a pod's next text (its status grows a little at a time)
 * mostly fits where its last one was, and freed slots of a size are found again for that size.
 */
const GRAIN = 256;
/** A slot starts with its size and its text's length in bytes (two uint32). */
const HEAD = 8;
/** An address is chunk index × SPAN + offset in the chunk (SPAN > any chunk: 16 MB lines at most). */
const SPAN = 2 ** 32;
const EMPTY = Buffer.alloc(0);

export class TextSlab {
  private readonly chunks: Buffer[] = [];
  /** The chunk slots are carved from (-1: none yet), and where its next slot starts. */
  private cur = -1;
  private top = CHUNK;
  /** Free slots by size: addresses to hand out again for a text of that size. */
  private readonly free = new Map<number, number[]>();

  /**
   * Writes `text` in place of the slot at `addr` (-1: none yet) and returns its address: the same
   * one when the text fits the slot, else a new slot (the old one is freed).
   */
  put(addr: number, text: string): number {
    const bytes = Buffer.byteLength(text, 'utf8');
    const need = HEAD + bytes;
    if (addr >= 0) {
      if (need <= this.at(addr).readUInt32LE(addr % SPAN)) {
        this.write(addr, text, bytes);
        return addr;
      }
      this.release(addr);
    }
    const fresh = this.alloc(Math.ceil(need / GRAIN) * GRAIN);
    this.write(fresh, text, bytes);
    return fresh;
  }

  /** The text at `addr`. */
  get(addr: number): string {
    const c = this.at(addr);
    const o = addr % SPAN;
    return c.toString('utf8', o + HEAD, o + HEAD + c.readUInt32LE(o + 4));
  }

  /** Frees the slot at `addr` (a text of its own chunk gives the chunk back). */
  release(addr: number): void {
    const size = this.at(addr).readUInt32LE(addr % SPAN);
    if (size > CHUNK / 4) {
      this.chunks[Math.floor(addr / SPAN)] = EMPTY;
      return;
    }
    const list = this.free.get(size);
    if (list) list.push(addr);
    else this.free.set(size, [addr]);
  }

  /** Bytes the slab holds from the system (its chunks), used or free. */
  get heldBytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  private at(addr: number): Buffer {
    return this.chunks[Math.floor(addr / SPAN)];
  }

  private alloc(size: number): number {
    if (size > CHUNK / 4) {
      const c = Buffer.allocUnsafeSlow(size);
      c.writeUInt32LE(size, 0);
      this.chunks.push(c);
      return (this.chunks.length - 1) * SPAN;
    }
    const reuse = this.free.get(size)?.pop();
    if (reuse !== undefined) return reuse;
    if (this.top + size > CHUNK) {
      // the rest of the last chunk (less than one slot) stays unused
      this.chunks.push(Buffer.allocUnsafeSlow(CHUNK));
      this.cur = this.chunks.length - 1;
      this.top = 0;
    }
    const addr = this.cur * SPAN + this.top;
    this.chunks[this.cur].writeUInt32LE(size, this.top);
    this.top += size;
    return addr;
  }

  private write(addr: number, text: string, bytes: number): void {
    const c = this.at(addr);
    const o = addr % SPAN;
    c.writeUInt32LE(bytes, o + 4);
    c.write(text, o + HEAD, bytes, 'utf8');
  }
}
