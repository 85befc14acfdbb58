// Types of scripts/package.mjs for the TypeScript tests in test/package/.
export interface Platform {
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
  npmOs: string;
  npmCpu: string;
  format: 'tar.gz' | 'zip';
  pkg: string;
  nodePath: string;
  integrity: string;
}
export interface ArchiveFile { name: string; mode: number; data: Buffer }
export interface Packaged { platform: Platform; archive: string; sha256: string; reused: boolean }

export const ROOT: string;
export const OUT_DIR: string;
export const BUNDLE: string;
export const CLIENT_NODE_BUNDLE: string;
export const BIN: string;
export const NODE_VERSION: string;
export const SEA_FUSE: string;
export const SEA_EXEC_ARGV: string[];
export const PLATFORMS: Platform[];
export function platformId(p: Platform): string;
export function binName(p: Platform): string;
export function archiveName(version: string, p: Platform): string;
export function readPackageJson(): { name: string; version: string; description: string; homepage: string; [k: string]: unknown };
export function archiveLayout(p: Platform): { name: string; mode: number }[];
export function sha256File(path: string): string;
export function writeTarGz(entries: ArchiveFile[], mtime: number): Buffer;
export function readTar(buf: Buffer): ArchiveFile[];
export function writeZip(entries: ArchiveFile[], mtime: number): Buffer;
export function readZip(buf: Buffer): ArchiveFile[];
export function readArchive(path: string): ArchiveFile[];
export function nodeBinary(p: Platform): string;
export function hostPlatform(): Platform;
export function packagePlatforms(platforms: Platform[], opts?: { force?: boolean }): Promise<Packaged[]>;
export function adhocSign(macho: Buffer, identifier: string): Buffer;
