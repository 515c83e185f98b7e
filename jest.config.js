/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  // Two cores: keep one for the child processes the end-to-end tests start.
  maxWorkers: 2,
  // The longest files first, also on a clean checkout (CI): see the file.
  testSequencer: '<rootDir>/test/sequencer.cjs',
};
