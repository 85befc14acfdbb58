// dist/THIRD-PARTY-NOTICES.txt (scripts/build.mjs) carries the licence of every npm package the
// bundles include: nothing else ships them, as package.json has no runtime dependencies. Checked
// against what src/ imports (read here from the sources) and the lockfile's versions; the npm
// package and every archive carry the file (npm-install.slow.ts, formats.slow.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/run.js';

const text = readFileSync(join(ROOT, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
const RULE = '='.repeat(78);
const entries = text.split(`${RULE}\n`).slice(1).reduce<{ head: string; body: string }[]>((acc, part, i, all) => {
  if (i % 2 === 0) acc.push({ head: part.trim(), body: (all[i + 1] ?? '').trim() });
  return acc;
}, []);
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? sourceFiles(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
}

test('every package src/ imports is listed with its locked version and a licence text', () => {
  const imported = new Set<string>();
  for (const f of sourceFiles(join(ROOT, 'src'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/from '([^.'][^']*)'/g)) {
      if (m[1].startsWith('node:')) continue;
      imported.add(m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]);
    }
  }
  expect(imported.size).toBeGreaterThanOrEqual(5);
  for (const name of imported) {
    const version = lock.packages[`node_modules/${name}`].version;
    const e = entries.find((x) => x.head.startsWith(`${name} ${version} (`));
    expect({ name, found: !!e }).toEqual({ name, found: true });
    expect(e!.body.length).toBeGreaterThan(100);
  }
});

test('each entry is one package version, with its licence', () => {
  expect(entries.length).toBeGreaterThan(20);
  const heads = entries.map((e) => e.head);
  expect(new Set(heads).size).toBe(heads.length);
  for (const e of entries) {
    expect(e.head).toMatch(/^\S+ \d+\.\d+\.\d+\S* \(.+\)$/);
    expect(e.body).not.toBe('');
  }
});
