import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRUNE_EVERY_MS, Retention } from '../../src/jobs/retention.js';
import { JobStore } from '../../src/jobs/store.js';
import { FakeClock } from '../support/fakeClock.js';
import { makeJob, silentLogger } from '../support/jobs.js';

const DAY = 24 * 60 * 60_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sqliteStore(): Promise<JobStore> {
  const dir = mkdtempSync(join(tmpdir(), 'mj-retention-'));
  dirs.push(dir);
  const store = JobStore.openSqlite(join(dir, 'bot.sqlite'), () => undefined);
  await store.probe();
  return store;
}

describe('Retention (SQLite)', () => {
  it('removes finished jobs past JOB_RETENTION_DAYS and their pointers, at start and hourly on the clock', async () => {
    const clock = new FakeClock(100 * DAY);
    const store = await sqliteStore();
    const msg = (id: string) => ({ ...makeJob().message, messageId: `m-${id}` });
    // Finished 91 days ago (gone at start), 90 days less 30 minutes ago (gone at the next hourly pass), running.
    await store.save(
      makeJob({ id: 'old', taskId: 't-old', phase: 'succeeded', updatedAt: 9 * DAY, message: msg('old') }),
    );
    await store.save(
      makeJob({
        id: 'newer',
        taskId: 't-newer',
        phase: 'failed',
        updatedAt: 10 * DAY + 30 * 60_000,
        message: msg('newer'),
      }),
    );
    await store.save(
      makeJob({ id: 'running', taskId: 't-run', phase: 'tracking', updatedAt: 0, message: msg('run') }),
    );
    await store.keyv.set('usage:u:1', 3, -1); // a keyv entry past its own expiry (keyv: system clock)
    const retention = new Retention({ store, clock, retentionMs: 90 * DAY, logger: silentLogger });

    retention.start();
    await clock.advance(0);
    await retention.idle();
    expect(await store.get('old')).toBeNull();
    expect(await store.byMessage('m-old')).toBeNull();
    expect(await store.byTask('t-old')).toBeNull();
    expect((await store.byTask('t-newer'))?.id).toBe('newer');
    expect((await store.byMessage('m-run'))?.id).toBe('running');
    expect(await store.activeIds()).toEqual(['running']);

    const rows = (store.keyv.store as unknown as { query(sql: string): Promise<Array<{ key: string }>> })
      .query;
    const keys = (await rows('SELECT key FROM keyv')).map((r) => r.key);
    expect(keys).not.toContain('mj:usage:u:1');
    expect(keys).not.toContain('mj:msg:m-old'); // no pointer left without its job
    expect(keys).not.toContain('mj:task:t-old');
    expect(keys).toEqual(expect.arrayContaining(['mj:msg:m-newer', 'mj:task:t-newer', 'mj:msg:m-run']));
    await clock.advance(PRUNE_EVERY_MS - 1);
    await retention.idle();
    expect(await store.get('newer')).not.toBeNull(); // no pass before the hour is up
    await clock.advance(1);
    await retention.idle();
    expect(await store.get('newer')).toBeNull();
    expect(await store.get('running')).not.toBeNull();
    await retention.stop();
    expect(clock.pending).toBe(0);
    await store.close();
  });

  it('leaves a Redis store alone (TTLs remove its finished jobs)', async () => {
    const clock = new FakeClock();
    const store = await sqliteStore();
    Object.defineProperty(store.backend, 'shared', { value: true });
    const retention = new Retention({ store, clock, retentionMs: DAY, logger: silentLogger });
    retention.start();
    expect(clock.pending).toBe(0);
    await store.close();
  });
});
