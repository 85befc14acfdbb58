// The text of the watch's live pods, outside V8's heap (store.ts Tracked.slot). Kept as strings,
// each update's ~3 KB text was copied twice by the young generation's collector and was then
// old-generation garbage at the next update of the same pod: 5,000 live pods at full speed made
// 15 MB/s of it, and the collector's share of the watch's CPU was 22%. Here the heap holds one
// number per pod, and a pod's next text is written over its last (docs/performance.md: the watch).
// Slots come in size classes (four a power of two), shared by every pod: a pod whose text grows
// moves up a class and its old slot serves the next text of that class; a text that shrinks to
// under half its slot moves down; a chunk whose slots are all free is given back. A slot used only
// for exactly the same size, and chunks never given back, held 555 MB for one pod growing 256 B an
// update, and 180-200 MB for 50 pods of random sizes up to 200 KB (docs/performance.md).

/** Bytes a chunk: slots are carved from chunks this size, a text longer than a quarter gets its own. */
const CHUNK = 4 * 2 ** 20;
/** The smallest slot; above it, four classes a power of two (a slot wastes under a quarter). */
const MIN_SLOT = 256;
/** A slot starts with its size and its text's length in bytes (two uint32). */
const HEAD = 8;
/** An address is chunk index × SPAN + offset in the chunk (SPAN > any chunk: 16 MB lines at most). */
const SPAN = 2 ** 32;
const EMPTY = Buffer.alloc(0);

/** The slot size class for `need` bytes: 256, then 2^k + i * 2^k / 4 (320, 384, 448, 512, 640…). */
export function slotSize(need: number): number {
  if (need <= MIN_SLOT) return MIN_SLOT;
  const base = 2 ** Math.floor(Math.log2(need - 1));
  const step = base / 4;
  return base + Math.ceil((need - base) / step) * step;
}

export class TextSlab {
  private readonly chunks: Buffer[] = [];
  /** Slots in use per shared chunk: at 0 the chunk is given back (unless slots are carved from it). */
  private readonly live: number[] = [];
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
    const size = slotSize(need);
    if (addr >= 0) {
      const has = this.at(addr).readUInt32LE(addr % SPAN);
      // a text that fits stays (the next update of a pod is about the same size), unless its
      // class is under half the slot: then the slot goes to texts of its size
      if (need <= has && size * 2 > has) {
        this.write(addr, text, bytes);
        return addr;
      }
      this.release(addr);
    }
    const fresh = this.alloc(size);
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
    const chunk = Math.floor(addr / SPAN);
    if (--this.live[chunk] === 0 && chunk !== this.cur) this.giveBack(chunk);
  }

  /** A shared chunk without a slot in use: its memory goes, and its free slots with it. */
  private giveBack(chunk: number): void {
    this.chunks[chunk] = EMPTY;
    for (const [size, list] of this.free) {
      const kept = list.filter((a) => Math.floor(a / SPAN) !== chunk);
      if (kept.length) this.free.set(size, kept);
      else this.free.delete(size);
    }
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
    if (reuse !== undefined) {
      this.live[Math.floor(reuse / SPAN)]++;
      return reuse;
    }
    if (this.top + size > CHUNK) {
      // the rest of the last chunk (less than one slot) stays unused; the chunk is given back
      // once its slots are all free
      const last = this.cur;
      this.chunks.push(Buffer.allocUnsafeSlow(CHUNK));
      this.cur = this.chunks.length - 1;
      this.live[this.cur] = 0;
      this.top = 0;
      if (last >= 0 && this.live[last] === 0) this.giveBack(last);
    }
    this.live[this.cur]++;
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
