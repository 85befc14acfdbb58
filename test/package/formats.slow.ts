// Opt-in (`npm run test:package`, which first builds every archive and out/sidecars.yaml): each
// archive holds an executable of the right format and CPU for its krew platform, with the SEA blob
// injected, and the manifest names it by its sha256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { MANIFEST_PATH } from '../../scripts/krew-manifest.mjs';
import { archiveName, binName, OUT_DIR, PLATFORMS, readArchive, readPackageJson, ROOT, SEA_FUSE } from '../../scripts/package.mjs';
import { installedNames, type KrewManifest, LICENSE_NAMES } from './krew-rules.js';

const { version } = readPackageJson();
const license = readFileSync(join(ROOT, 'LICENSE'));
const manifest = load(readFileSync(MANIFEST_PATH, 'utf8')) as KrewManifest;

const ELF_MACHINE: Record<string, number> = { amd64: 0x3e, arm64: 0xb7 }; // EM_X86_64, EM_AARCH64
const MACHO_CPU: Record<string, number> = { amd64: 0x01000007, arm64: 0x0100000c }; // CPU_TYPE_X86_64, CPU_TYPE_ARM64
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

function machoSegments(exe: Buffer): { segments: string[]; commands: number[] } {
  const ncmds = exe.readUInt32LE(16);
  const segments: string[] = [];
  const commands: number[] = [];
  for (let off = 32, i = 0; i < ncmds; i++) {
    const cmd = exe.readUInt32LE(off);
    commands.push(cmd);
    if (cmd === LC_SEGMENT_64) segments.push(exe.toString('latin1', off + 8, off + 24).replace(/\0+$/, ''));
    off += exe.readUInt32LE(off + 4);
  }
  return { segments, commands };
}

/** The embedded signature's CodeDirectory, with the pages whose SHA-256 does not match. */
function codeSignature(exe: Buffer) {
  const ncmds = exe.readUInt32LE(16);
  let dataoff = 0, datasize = 0, linkeditEnd = 0, textFileSize = 0;
  for (let off = 32, i = 0; i < ncmds; i++) {
    const cmd = exe.readUInt32LE(off);
    if (cmd === LC_CODE_SIGNATURE) [dataoff, datasize] = [exe.readUInt32LE(off + 8), exe.readUInt32LE(off + 12)];
    if (cmd === LC_SEGMENT_64) {
      const name = exe.toString('latin1', off + 8, off + 24).replace(/\0+$/, '');
      if (name === '__LINKEDIT') linkeditEnd = Number(exe.readBigUInt64LE(off + 40) + exe.readBigUInt64LE(off + 48));
      if (name === '__TEXT') textFileSize = Number(exe.readBigUInt64LE(off + 48));
    }
    off += exe.readUInt32LE(off + 4);
  }
  expect(exe.readUInt32BE(dataoff)).toBe(0xfade0cc0); // embedded signature SuperBlob
  const cd = dataoff + exe.readUInt32BE(dataoff + 16); // slot 0: the CodeDirectory
  const hashOffset = exe.readUInt32BE(cd + 16);
  const identOffset = exe.readUInt32BE(cd + 20);
  const nCodeSlots = exe.readUInt32BE(cd + 28);
  const codeLimit = exe.readUInt32BE(cd + 32);
  const pageSize = 1 << exe[cd + 39];
  const badPages: number[] = [];
  for (let i = 0; i < nCodeSlots; i++) {
    const want = exe.subarray(cd + hashOffset + 32 * i, cd + hashOffset + 32 * (i + 1));
    const got = createHash('sha256').update(exe.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit))).digest();
    if (!got.equals(want)) badPages.push(i);
  }
  return {
    dataoff, datasize, linkeditEnd, textFileSize, badPages, nCodeSlots, codeLimit,
    magic: exe.readUInt32BE(cd),
    flags: exe.readUInt32BE(cd + 12),
    identifier: exe.toString('utf8', cd + identOffset, exe.indexOf(0, cd + identOffset)),
    execSegLimit: Number(exe.readBigUInt64BE(cd + 72)),
  };
}

describe.each(PLATFORMS.map((p) => [`${p.os}/${p.arch}`, p] as const))('%s archive', (_id, p) => {
  const path = join(OUT_DIR, archiveName(version, p));
  const files = existsSync(path) ? readArchive(path) : [];
  const exe = files.find((f) => f.name === binName(p))?.data ?? Buffer.alloc(0);

  test('exists and holds exactly the binary, LICENSE and the bundled packages\' notices', () => {
    expect(existsSync(path)).toBe(true);
    expect(files.map((f) => f.name)).toEqual([binName(p), 'LICENSE', 'THIRD-PARTY-NOTICES.txt']);
    expect(files.find((f) => f.name === 'LICENSE')!.data.equals(license)).toBe(true);
    expect(files.find((f) => f.name === 'THIRD-PARTY-NOTICES.txt')!.data.equals(readFileSync(join(ROOT, 'dist', 'THIRD-PARTY-NOTICES.txt')))).toBe(true);
  });

  test('the krew manifest\'s files install the binary and LICENSE from this very archive', () => {
    const spec = manifest.spec.platforms.find((q) => q.selector?.matchLabels?.os === p.os && q.selector?.matchLabels?.arch === p.arch);
    expect(spec).toBeDefined();
    expect(spec!.uri.split('/').pop()).toBe(archiveName(version, p));
    // out/sidecars.yaml was written by this `npm run package`: krew refuses an archive of another sha256
    expect(spec!.sha256).toBe(execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]);
    const installed = installedNames(files.map((f) => f.name), spec!.files);
    expect(installed).toContain(spec!.bin);
    expect(installed.some((n) => LICENSE_NAMES.has(n.toLowerCase()))).toBe(true);
  });

  test('the SEA blob was injected (Node flips the fuse to :1)', () => {
    expect(exe.includes(`${SEA_FUSE}:1`)).toBe(true);
    expect(exe.includes(`${SEA_FUSE}:0`)).toBe(false);
  });

  if (p.os === 'linux') {
    test('is a 64-bit little-endian ELF executable for the CPU', () => {
      expect(exe.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toBe(true);
      expect(exe[4]).toBe(2); // ELFCLASS64
      expect(exe[5]).toBe(1); // little-endian
      expect(exe.readUInt16LE(18)).toBe(ELF_MACHINE[p.arch]);
      expect(files.find((f) => f.name === binName(p))!.mode & 0o111).toBe(0o111);
    });
  }

  if (p.os === 'darwin') {
    test('is a 64-bit Mach-O for the CPU with a NODE_SEA segment and no stale signature', () => {
      expect(exe.readUInt32LE(0)).toBe(0xfeedfacf); // MH_MAGIC_64
      expect(exe.readUInt32LE(4)).toBe(MACHO_CPU[p.arch]);
      expect(exe.readUInt32LE(12)).toBe(2); // MH_EXECUTE
      const { segments, commands } = machoSegments(exe);
      expect(segments).toContain('NODE_SEA');
      expect(segments[segments.length - 1]).toBe('__LINKEDIT');
      expect(commands.filter((c) => c === LC_CODE_SIGNATURE)).toHaveLength(1); // ours, not Node's
      expect(files.find((f) => f.name === binName(p))!.mode & 0o111).toBe(0o111);
    });

    test('carries a valid ad-hoc signature: every page hash matches, __LINKEDIT covers it', () => {
      const sig = codeSignature(exe);
      expect(sig.dataoff + sig.datasize).toBe(exe.length);
      expect(sig.linkeditEnd).toBe(exe.length);
      expect(sig.magic).toBe(0xfade0c02);
      expect(sig.flags & 0x2).toBe(0x2); // CS_ADHOC
      expect(sig.codeLimit).toBe(sig.dataoff);
      expect(sig.nCodeSlots).toBe(Math.ceil(sig.codeLimit / 4096));
      expect(sig.identifier).toBe('kubectl-sidecars');
      expect(sig.execSegLimit).toBe(sig.textFileSize);
      expect(sig.badPages).toEqual([]);
    });
  }

  if (p.os === 'windows') {
    test('is a PE32+ console executable for x86-64 without a stale Authenticode signature', () => {
      expect(exe.toString('latin1', 0, 2)).toBe('MZ');
      const pe = exe.readUInt32LE(0x3c);
      expect(exe.subarray(pe, pe + 4).equals(Buffer.from('PE\0\0', 'latin1'))).toBe(true);
      expect(exe.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
      const opt = pe + 24;
      expect(exe.readUInt16LE(opt)).toBe(0x20b); // PE32+
      expect(exe.readUInt16LE(opt + 68)).toBe(3); // IMAGE_SUBSYSTEM_WINDOWS_CUI
      const securityDir = opt + 112 + 4 * 8; // data directory 4: certificate table
      expect(exe.readUInt32LE(securityDir + 4)).toBe(0);
    });
  }
});
