import { defineConfig } from 'vitest/config';

/** Tests that run the built bot as a child process (`node dist/src/main.js`); they need `npm run build` first. */
const PROCESS_TESTS = [
  'test/e2e/crash.e2e.test.ts',
  'test/e2e/shutdown.e2e.test.ts',
  'test/e2e/store.e2e.test.ts',
  'test/e2e/secrets.e2e.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: PROCESS_TESTS } },
      // Its global setup (one build) runs only when one of its files is selected.
      {
        extends: true,
        test: { name: 'process', include: PROCESS_TESTS, globalSetup: ['test/support/buildOnce.ts'] },
      },
    ],
  },
});
