import { defineConfig } from 'vitest/config';

/** Tests that run the built bot as a child process (`node dist/src/main.js`); they need `npm run build` first. */
const PROCESS_TESTS = [
  'test/e2e/crash.e2e.test.ts',
  'test/e2e/shutdown.e2e.test.ts',
  'test/e2e/store.e2e.test.ts',
  'test/e2e/secrets.e2e.test.ts',
  // several bot processes over a real Redis (src/cluster/)
  'test/e2e/cluster.*.e2e.test.ts',
];

/** The playground in a real browser (the built bot as a child process, ~25 s): its own project, built once. */
const BROWSER_TESTS = ['test/browser/playground.browser.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    // More workers than this machine's two cores: the process and browser suites mostly wait on child processes.
    maxWorkers: 4,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          // One module cache per worker instead of one per file: importing discord.js and the strict fake's
          // schemas again for every file cost ~70 s of the suite. Tests must not rely on module state.
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: [...PROCESS_TESTS, ...BROWSER_TESTS],
        },
      },
      // Its global setup (one build) runs only when one of its files is selected.
      {
        extends: true,
        test: { name: 'process', include: PROCESS_TESTS, globalSetup: ['test/support/buildOnce.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER_TESTS,
          globalSetup: ['test/support/buildOnce.ts'],
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
