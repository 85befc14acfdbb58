// Opt-in (`npm run test:package`, which first builds every archive): each archive holds an
// executable of the right format and CPU for its krew platform, with the SEA blob injected.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveLayout, archiveName, binName, OUT_DIR, PLATFORMS, readArchive, readPackageJson, ROOT, SEA_FUSE } from '../../scripts/package.mjs';

const { version } = readPackageJson();
const license = readFileSync(join(ROOT, 'LICENSE'));

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

describe.each(PLATFORMS.map((p) => [`${p.os}/${p.arch}`, p] as const))('%s archive', (_id, p) => {
  const path = join(OUT_DIR, archiveName(version, p));
  const files = existsSync(path) ? readArchive(path) : [];
  const exe = files.find((f) => f.name === binName(p))?.data ?? Buffer.alloc(0);

  test('exists and holds exactly the binary and LICENSE', () => {
    expect(existsSync(path)).toBe(true);
    expect(files.map((f) => f.name)).toEqual(archiveLayout(p).map((e) => e.name));
    expect(files.find((f) => f.name === 'LICENSE')!.data.equals(license)).toBe(true);
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
      expect(commands).not.toContain(LC_CODE_SIGNATURE); // the Node release signature was removed
      expect(files.find((f) => f.name === binName(p))!.mode & 0o111).toBe(0o111);
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
