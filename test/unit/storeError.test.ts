import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/jobs/store.js';
import { StoreError, storeErrorOf } from '../../src/jobs/storeError.js';
import { makeJob } from '../support/jobs.js';

const coded = (code: string) => Object.assign(new Error(`${code}: boom`), { code });

describe('storeErrorOf', () => {
  it.each([
    [
      'SQLITE_BUSY',
      'locked',
      'is locked by another process (SQLITE_BUSY). Is another copy of the bot running?',
    ],
    [
      'SQLITE_READONLY',
      'readonly',
      'cannot be written (SQLITE_READONLY): the file or its folder is read-only.',
    ],
    ['SQLITE_CANTOPEN', 'readonly', 'cannot be written (SQLITE_CANTOPEN)'],
    ['EACCES', 'readonly', 'cannot be written (EACCES)'],
    [
      'SQLITE_NOTADB',
      'corrupt',
      'is not a readable SQLite database (SQLITE_NOTADB). The bot left it untouched.',
    ],
    ['SQLITE_CORRUPT', 'corrupt', 'is not a readable SQLite database (SQLITE_CORRUPT)'],
    ['SQLITE_IOERR', 'unavailable', 'could not be opened (SQLITE_IOERR). Check the file and STORE_URL.'],
  ])('%s → %s, naming the file', (code, problem, text) => {
    const err = storeErrorOf(coded(code), '/srv/bot/data/mj.sqlite');
    expect(err).toBeInstanceOf(StoreError);
    expect(err.problem).toBe(problem);
    expect(err.message).toContain(`The job store /srv/bot/data/mj.sqlite ${text}`);
  });
});

describe('JobStore: final states not yet shown', () => {
  it('keeps a final job in `unshown` until its final state is marked shown (or its message is gone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mj-unshown-'));
    try {
      const path = join(dir, 'bot.sqlite');
      const store = JobStore.openSqlite(path, () => undefined);
      await store.probe();
      await store.save(makeJob({ id: 'a', phase: 'tracking' }));
      await store.save(makeJob({ id: 'b', phase: 'succeeded', createdAt: 1 }));
      await store.save(makeJob({ id: 'c', phase: 'failed', createdAt: 2 }));
      await store.update('a', (j) => ({ ...j, phase: 'succeeded', createdAt: 3 }));
      await store.update('c', (j) => ({ ...j, message: { ...j.message, gone: true } }));
      await store.close();

      const again = JobStore.openSqlite(path, () => undefined);
      expect((await again.unshownJobs()).map((j) => j.id)).toEqual(['b', 'a']);
      await again.update('b', (j) => ({ ...j, message: { ...j.message, finalShown: true } }));
      expect((await again.unshownJobs()).map((j) => j.id)).toEqual(['a']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
