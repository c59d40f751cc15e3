import { defineConfig } from 'vitest/config';

// Browser tests: run by `npm test` after the unit/API suites (see package.json). Each file
// starts the real server on its own embedded PostgreSQL, so no global database setup here.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['web/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
