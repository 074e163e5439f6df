const os = require('node:os');
const { jestModuleNameMapper } = require('./scripts/lib/source-aliases.cjs');

/**
 * One jest run for the whole workspace. Tests import each other's packages by name; the mapper points
 * those names at the TypeScript sources (tsconfig.sources.json) so a test never runs against a stale build.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/mini-app', '<rootDir>/scripts'],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: jestModuleNameMapper(),
  testTimeout: 30000,
  // One worker per core, where jest's default keeps one core for itself: most suites spend their time waiting on
  // the processes they start (servers, Chromium, npm), so on 2 cores one worker left a core idle (577 s against
  // 387 s for the whole run on the 2-core machine).
  maxWorkers: os.availableParallelism(),
};
