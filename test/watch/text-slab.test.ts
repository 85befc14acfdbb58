// The live pods' texts outside V8's heap (src/model/watch/slab.ts). What goes in is the recorded
// watch lines of every scenario (test/fixtures/recordings, the API server's own bytes) and hostile
// text; what comes out must be the same string. The tracker's tests (watch.test.ts, tick.test.ts,
// tombstone.test.ts) re-derive pods from these texts through the real store.
import { slotSize, TextSlab } from '../../src/model/watch/slab.js';
import { recordedWatchLines } from '../apiserver/recordings.js';

/** Every recorded pod watch line of every scenario (the JSON after the tab). */
const LINES = recordedWatchLines(['pods.watch.jsonl']).map((l) => l.line);

test('every recorded watch line comes back as it went in, through one address per pod', () => {
  expect(LINES.length).toBeGreaterThan(100);
  const slab = new TextSlab();
  const addr = new Map<number, number>();
  // 40 pods, the recorded lines written over each other as a pod's updates are
  LINES.forEach((line, i) => {
    const pod = i % 40;
    addr.set(pod, slab.put(addr.get(pod) ?? -1, line));
    expect(slab.get(addr.get(pod)!)).toBe(line);
  });
  // what is kept is each pod's last line, untouched by the writes to the others
  for (const [pod, a] of addr) expect(slab.get(a)).toBe(LINES[LINES.length - 1 - ((LINES.length - 1 - pod) % 40)]);
});

test('hostile text: multi-byte characters, escapes, NUL and control bytes, empty', () => {
  const slab = new TextSlab();
  for (const text of ['', '\u0000\u001b[2J\u009b', 'naïve ☃ 日本語 \u{1F600} \uD800', '"\\u0000"'.repeat(1000), 'x'.repeat(250), 'é'.repeat(2000)]) {
    const a = slab.put(-1, text);
    // a lone surrogate is not UTF-8: it comes back as U+FFFD, as from any UTF-8 text
    expect(slab.get(a)).toBe(Buffer.from(text, 'utf8').toString('utf8'));
  }
});

test('a text that fits its slot stays there; a longer one moves and its old slot goes to the next text of that size class', () => {
  const slab = new TextSlab();
  const a = slab.put(-1, 'a'.repeat(400));
  expect(slab.put(a, 'b'.repeat(100))).toBe(a);
  expect(slab.get(a)).toBe('b'.repeat(100));
  const moved = slab.put(a, 'c'.repeat(3000));
  expect(moved).not.toBe(a);
  expect(slab.get(moved)).toBe('c'.repeat(3000));
  // 408 and 428 bytes with their heads: both of the 448-byte class
  expect(slotSize(408)).toBe(448);
  expect(slotSize(428)).toBe(448);
  expect(slab.put(-1, 'd'.repeat(420))).toBe(a);
});

test('size classes: 256, then four a power of two; a slot wastes under a quarter', () => {
  expect([1, 256, 257, 320, 321, 512, 513, 1000, 4096, 4097].map(slotSize)).toEqual([256, 256, 320, 320, 384, 512, 640, 1024, 4096, 5120]);
  for (let n = 257; n < 300_000; n += 997) expect(slotSize(n) / n).toBeLessThan(1.25);
});

test('a text that shrinks under half its slot moves to a slot of its size', () => {
  const slab = new TextSlab();
  const a = slab.put(-1, 'a'.repeat(100_000));
  const b = slab.put(a, 'b'.repeat(2_000));
  expect(b).not.toBe(a);
  expect(slab.get(b)).toBe('b'.repeat(2_000));
});

// The two cases an adversarial review measured (docs/performance.md, "Watch store memory"): a
// slot reused only for exactly its size, and chunks never given back, held 555 MB for the first
// (the single executable) and 180-200 MB for the second.
test('one pod whose text grows 256 B an update, to 1 MB: the slab holds a few times the text, not the sum of its sizes', () => {
  const slab = new TextSlab();
  let a = -1;
  let peak = 0;
  for (let n = 1024; n <= 1024 * 1024; n += 256) {
    a = slab.put(a, 'x'.repeat(n));
    peak = Math.max(peak, slab.heldBytes);
  }
  expect(slab.get(a).length).toBe(1024 * 1024);
  expect(peak).toBeLessThan(16 * 1024 * 1024);
});

test('50 pods of random sizes up to 200 KB: what the slab holds stays near the live text', () => {
  const slab = new TextSlab();
  const addr = new Array<number>(50).fill(-1);
  const size = new Array<number>(50).fill(0);
  // a fixed sequence (xorshift), so a failure is the same every run
  let x = 2463534242;
  const rnd = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  let peak = 0;
  for (let i = 0; i < 20_000; i++) {
    const p = Math.floor(rnd() * 50);
    size[p] = 1 + Math.floor(rnd() * 200 * 1024);
    addr[p] = slab.put(addr[p], 'y'.repeat(size[p]));
    peak = Math.max(peak, slab.heldBytes);
  }
  const live = size.reduce((s, n) => s + n, 0);
  expect(live).toBeLessThan(10 * 1024 * 1024);
  expect(peak).toBeLessThan(32 * 1024 * 1024);
});

test('a text over a quarter of a chunk has a chunk of its own, given back when released', () => {
  const slab = new TextSlab();
  slab.put(-1, 'small');
  const before = slab.heldBytes;
  const big = slab.put(-1, 'z'.repeat(3 * 2 ** 20));
  expect(slab.get(big)).toBe('z'.repeat(3 * 2 ** 20));
  expect(slab.heldBytes).toBeGreaterThan(before + 3 * 2 ** 20);
  slab.release(big);
  expect(slab.heldBytes).toBe(before);
  // slots carved after it still come from the shared chunk
  const after = slab.put(-1, 'y'.repeat(1000));
  expect(slab.get(after)).toBe('y'.repeat(1000));
  expect(slab.heldBytes).toBe(before);
});

test('pods coming and going: what the slab holds follows the live texts, not the updates', () => {
  const slab = new TextSlab();
  const live = new Map<number, number>();
  let next = 0;
  const held: number[] = [];
  for (let round = 0; round < 20; round++) {
    // 2,000 live pods; each round every pod gets a recorded line, and a tenth are replaced by new pods
    for (let p = 0; p < 2000; p++) live.set(p, slab.put(live.get(p) ?? -1, LINES[(next++ * 7) % LINES.length]));
    for (let p = round % 10; p < 2000; p += 10) {
      slab.release(live.get(p)!);
      live.delete(p);
    }
    held.push(slab.heldBytes);
  }
  for (const [, a] of live) expect(LINES).toContain(slab.get(a));
  // a pod keeps the largest slot it needed, and freed slots serve texts of their size: what is held
  // stops growing once every size has been seen (by the 7th round here), near 2,000 of the largest
  const largest = Math.max(...LINES.map((l) => Buffer.byteLength(l)));
  expect(held[19]).toBe(held[9]);
  expect(held[19]).toBeLessThanOrEqual(1.25 * 2000 * largest);
});
