import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { root: '/work/main', environment: 'node', testTimeout: 30_000, hookTimeout: 20_000, include: ['test/e2e/{crash,shutdown,store,secrets}.e2e.test.ts'] } });
