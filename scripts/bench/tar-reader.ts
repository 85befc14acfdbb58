// The tar reader of -f (src/sources/tar.ts) against tar-stream (in the tree through
// @kubernetes/client-node): the same 256 MiB archive in memory (2,048 entries of 128 KiB, every
// fourth with a GNU long name), fed in 64 KiB chunks, every body consumed and dropped; best of 3.
// Run: npx esbuild scripts/bench/tar-reader.ts --bundle --platform=node --format=cjs --outfile=/tmp/tar-reader.cjs && node /tmp/tar-reader.cjs
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { readTar } from '../../src/sources/tar.js';

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 99), 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar  \0', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}
const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

const parts: Buffer[] = [];
const body = Buffer.alloc(128 * 1024, 'x');
for (let i = 0; i < 2048; i++) {
  const name = `cluster-resources/pods/logs/ns-${i % 50}/pod-${i}/${'c'.repeat(i % 4 === 0 ? 120 : 8)}.log`;
  if (name.length > 99) parts.push(header('././@LongLink', name.length + 1, 'L'), Buffer.from(name + '\0'), pad(name.length + 1));
  parts.push(header(name, body.length), body, pad(body.length));
}
parts.push(Buffer.alloc(1024));
const archive = Buffer.concat(parts);
const chunks = () => {
  const out: Buffer[] = [];
  for (let i = 0; i < archive.length; i += 65536) out.push(archive.subarray(i, i + 65536));
  return out;
};

async function ours(): Promise<number> {
  let n = 0;
  await readTar(Readable.from(chunks()), () => ({ write: (b) => void (n += b.length), end: () => {} }));
  return n;
}

async function theirs(): Promise<number> {
  let n = 0;
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on('entry', (_h, stream, next) => {
      stream.on('data', (b: unknown) => void (n += (b as Buffer).length));
      stream.on('end', next);
    });
    x.on('finish', resolve);
    x.on('error', reject);
  });
  Readable.from(chunks()).pipe(x);
  await done;
  return n;
}

// (CommonJS output: tar-stream's dependencies require() Node built-ins; no top-level await there)
async function main(): Promise<void> {
  for (const [name, f] of [['src/sources/tar.ts', ours], ['tar-stream 3.2.2', theirs]] as const) {
    let best = Infinity;
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      bytes = await f();
      best = Math.min(best, performance.now() - t);
    }
    console.log(`${name}: ${(archive.length / 1024 / 1024).toFixed(0)} MiB in ${best.toFixed(0)} ms (${((archive.length / 1024 / 1024) / (best / 1000)).toFixed(0)} MiB/s), ${bytes} body bytes`);
  }
}
void main();
