/** Jest 30 through esbuild (see test/esbuild-transform.cjs). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|mjs)$': '<rootDir>/test/esbuild-transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.cjs',
  // Tests start servers on 127.0.0.1 and child processes: two workers fit the 2-core machines.
  maxWorkers: 2,
};
