// A small streaming tar reader for -f bundles given as .tar, .tar.gz or .tgz (troubleshoot.sh
// support bundles, a tarred must-gather): entries are handed over as their bytes arrive, so memory
// holds one 512-byte header and whatever the caller chooses to keep of a body, never the archive.
// ustar and GNU/PAX long names and link names, as GNU tar, bsdtar and Go's archive/tar write them.

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Path inside the archive, without a leading "./". */
  name: string;
  type: TarEntryType;
  size: number;
  /** Target of a symlink (relative to the link's folder) or hard link (relative to the archive root). */
  linkname: string;
}

/** What the caller does with one entry's body; null from onEntry skips the body. */
export interface TarSink {
  write(chunk: Buffer): void;
  end(): void;
}

/** The archive is not a tar file, or is cut short. */
export class TarError extends Error {
  override name = 'TarError';
}

const BLOCK = 512;

/**
 * Largest long-name (GNU L/K) or PAX extended header body kept: a path is at most a few KiB
 * (PATH_MAX 4096). A larger one refuses the archive; a PAX global header (g) is skipped unread.
 */
export const MAX_META_BYTES = 1024 * 1024;

const META_NAME: Record<string, string> = { L: 'GNU long-name', K: 'GNU long-link', x: 'PAX extended' };

function cstring(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

function octal(b: Buffer, start: number, len: number): number {
  // GNU base-256 for sizes of 8 GiB and more: high bit of the first byte set.
  if (b[start] & 0x80) {
    let v = b[start] & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = cstring(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === stored;
}

/** True when the block looks like a tar header (ustar magic, or a valid old-style checksum). */
export function looksLikeTar(first: Buffer): boolean {
  if (first.length < BLOCK) return false;
  return first.toString('latin1', 257, 262) === 'ustar' || (first[0] !== 0 && checksumOk(first.subarray(0, BLOCK)));
}

/** PAX extended header records: "<len> <key>=<value>\n". */
function paxRecords(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < body.length) {
    const sp = body.indexOf(0x20, pos);
    if (sp === -1) break;
    const len = parseInt(body.toString('latin1', pos, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = body.toString('utf8', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

const TYPES: Record<string, TarEntryType> = { '0': 'file', '\0': 'file', '7': 'file', '5': 'directory', '2': 'symlink', '1': 'hardlink' };

/**
 * Reads a tar stream; onEntry is called for each entry and returns where its body goes (or null).
 * Throws TarError on a bad header or a cut archive.
 */
export async function readTar(src: AsyncIterable<Buffer>, onEntry: (e: TarEntry) => TarSink | null): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  type State = 'header' | 'body' | 'padding' | 'done';
  let state = 'header' as State; // (casts: the closures below change these, unseen by narrowing)
  let remaining = 0; // body bytes left
  let padding = 0;
  let sink = null as TarSink | null;
  let meta = null as Buffer[] | null; // body of a long-name or PAX header, kept
  let metaType = '';
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};

  const startEntry = (h: Buffer) => {
    if (!checksumOk(h)) throw new TarError('not a tar archive (bad header checksum)');
    const flag = String.fromCharCode(h[156]);
    const size = octal(h, 124, 12);
    remaining = size;
    padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (flag === 'L' || flag === 'K' || flag === 'x') {
      if (size > MAX_META_BYTES) throw new TarError(`its ${META_NAME[flag]} header is ${size} bytes, over the ${MAX_META_BYTES / 1024 / 1024} MiB this reader keeps`);
      meta = [];
      metaType = flag;
      sink = null;
    } else if (flag === 'g') {
      // global PAX defaults (e.g. git archive's comment): nothing here reads them
      meta = null;
      sink = null;
    } else {
      const prefix = h.toString('latin1', 257, 262) === 'ustar' ? cstring(h, 345, 155) : '';
      let name = longName ?? pax.path ?? (prefix ? `${prefix}/${cstring(h, 0, 100)}` : cstring(h, 0, 100));
      const linkname = longLink ?? pax.linkpath ?? cstring(h, 157, 100);
      if (pax.size !== undefined && Number.isFinite(Number(pax.size))) {
        remaining = Number(pax.size);
        padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
      }
      longName = longLink = null;
      pax = {};
      name = name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
      sink = onEntry({ name, type: TYPES[flag] ?? 'other', size: remaining, linkname });
      meta = null;
    }
    state = remaining > 0 ? 'body' : padding > 0 ? 'padding' : 'header';
    if (state === 'header') finishEntry();
  };

  const finishEntry = () => {
    if (meta) {
      const body = Buffer.concat(meta);
      if (metaType === 'L') longName = cstring(body, 0, body.length);
      else if (metaType === 'K') longLink = cstring(body, 0, body.length);
      else if (metaType === 'x') pax = paxRecords(body);
      meta = null;
    } else {
      sink?.end();
    }
    sink = null;
  };

  for await (const chunk of src) {
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length && state !== 'done') {
      if (state === 'header') {
        if (buf.length - pos < BLOCK) break;
        const h = buf.subarray(pos, pos + BLOCK);
        pos += BLOCK;
        if (h.every((b) => b === 0)) {
          state = 'done'; // end-of-archive marker: what follows is zero padding
          break;
        }
        startEntry(h);
      } else if (state === 'body') {
        const n = Math.min(remaining, buf.length - pos);
        const part = buf.subarray(pos, pos + n);
        if (meta) meta.push(Buffer.from(part));
        else sink?.write(part);
        pos += n;
        remaining -= n;
        if (remaining === 0) {
          state = padding > 0 ? 'padding' : 'header';
          if (state === 'header') finishEntry();
        }
      } else if (state === 'padding') {
        const n = Math.min(padding, buf.length - pos);
        pos += n;
        padding -= n;
        if (padding === 0) {
          state = 'header';
          finishEntry();
        }
      }
    }
    if (state === 'done') break;
    if (pos < buf.length) pending = Buffer.from(buf.subarray(pos));
    buf = Buffer.alloc(0);
  }
  if (state === 'body' || state === 'padding' || pending.length) throw new TarError('the archive is cut short');
}
