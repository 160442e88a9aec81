/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Tests stand alone: reading a path beside the repository (a sibling checkout) throws.
  setupFiles: ['<rootDir>/test/support/repository-boundary.ts'],
  // Jest's transform cache inside the repository, so the boundary holds wherever the clone lives (also under /tmp).
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  // Emulator and registry tiers start servers; keep the default run inside CI's budget on 2 cores.
  maxWorkers: 2,
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
