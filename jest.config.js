// Jest runs the TypeScript sources as native ESM (client-node and ora are ESM-only):
// ts-jest's ESM preset plus `node --experimental-vm-modules` (see package.json "test").
// Text output prints the local time zone (src/render/time.ts): tests pin it, the workers inherit it;
// tests of other zones set TZ for the executable they start.
process.env.TZ = 'UTC';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
};
