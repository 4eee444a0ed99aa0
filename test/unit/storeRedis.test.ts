import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { withCallbackSecret, withSharedCallbackSecret } from '../../src/http/secret.js';
import { redisKey } from '../../src/jobs/redisBackend.js';
import { JobStore } from '../../src/jobs/store.js';
import { StoreError } from '../../src/jobs/storeError.js';
import { ACTIVE_VIEW, jobKey, msgKey, TRACKING, taskKey } from '../../src/jobs/storeKeys.js';
import { makeJob } from '../support/jobs.js';
import { type RedisServer, redisCommand, startRedis } from '../support/redis.js';

const DAY = 24 * 60 * 60_000;
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => redis.flush());

async function open(retentionMs = 90 * DAY): Promise<JobStore> {
  const store = JobStore.open(redis.url, { onError: () => undefined, retentionMs });
  await store.probe();
  return store;
}

describe('JobStore on Redis', () => {
  it('exposes its connected client, and shares the active index between processes', async () => {
    const [a, b] = [await open(), await open()];
    expect(await a.redis?.ping()).toBe('PONG');
    await a.save(makeJob({ id: 'x' }));
    await b.save(makeJob({ id: 'y', taskId: 't2', createdAt: 1 }));
    expect((await a.activeJobs()).map((j) => j.id)).toEqual(['x', 'y']);
    await b.update('x', (j) => ({ ...j, phase: 'succeeded' }));
    expect(await a.activeIds()).toEqual(['y']);
    expect((await a.get('x'))?.phase).toBe('succeeded'); // no stale cached record in the other process
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps the active view (what the limits read) in step with the active jobs, without whole records', async () => {
    const [a, b] = [await open(), await open()];
    const slim = (id: string, phase: string, createdAt: number) => ({
      id,
      phase,
      ownerId: '111111111111111111',
      createdAt,
      message: { guildId: '222222222222222222' },
    });
    await a.save(makeJob({ id: 'q', phase: 'queued', taskId: null, createdAt: 1 }));
    await b.save(makeJob({ id: 'r', phase: 'tracking', taskId: 't-r', createdAt: 2 }));
    const byId = async (store: JobStore) =>
      (await store.activeView()).sort((x, y) => x.createdAt - y.createdAt);
    expect(await byId(a)).toEqual([slim('q', 'queued', 1), slim('r', 'tracking', 2)]);
    const viewSize = () => redisCommand(redis.port, `HLEN ${redisKey(ACTIVE_VIEW)}`);
    expect(await viewSize()).toBe(':2'); // kept by the write script, not rebuilt from the records
    const counts = (store: JobStore, guildId: string | null = '222222222222222222') =>
      store.activeCounts('111111111111111111', guildId);
    expect(await counts(b)).toEqual({ user: 1, guild: 1, queued: 1, complete: true });
    expect(await counts(b, null)).toEqual({ user: 1, guild: 0, queued: 1, complete: true });
    await b.update('q', (j) => ({ ...j, phase: 'submitting' }));
    await a.update('r', (j) => ({ ...j, phase: 'succeeded' }));
    expect(await byId(b)).toEqual([slim('q', 'submitting', 1)]);
    expect(await viewSize()).toBe(':1');
    expect(await counts(a)).toEqual({ user: 1, guild: 1, queued: 0, complete: true });
    await b.update('q', (j) => ({ ...j, phase: 'tracking', taskId: 't-q' })); // running → running: no change
    expect(await counts(a)).toEqual({ user: 1, guild: 1, queued: 0, complete: true });
    // A job saved by a version without the view is read whole until its next save adds it.
    await redisCommand(redis.port, `HDEL ${redisKey(ACTIVE_VIEW)} q`);
    expect(await byId(a)).toEqual([slim('q', 'tracking', 1)]);
    expect((await counts(a))?.complete).toBe(false); // so admission reads the whole view instead
    const entry = await redisCommand(redis.port, `HGET ${redisKey(ACTIVE_VIEW)} q`);
    expect(entry).toBe('$-1'); // read, not written back: the next save writes it
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps the tracking index (job → task, what the shared reader reads) in step with the records', async () => {
    const [a, b] = [await open(), await open()];
    await a.save(makeJob({ id: 'q', phase: 'queued', taskId: null }));
    await a.save(makeJob({ id: 's', phase: 'submitting', taskId: null }));
    await b.save(makeJob({ id: 'r', phase: 'tracking', taskId: 't-r' }));
    expect(await a.trackingTasks()).toEqual(new Map([['r', 't-r']]));
    await b.update('s', (j) => ({ ...j, phase: 'tracking', taskId: 't-s' }));
    await a.update('r', (j) => ({ ...j, phase: 'succeeded' }));
    expect(await b.trackingTasks()).toEqual(new Map([['s', 't-s']]));
    await a.update('s', (j) => ({ ...j, phase: 'modal' })); // a remix pop-up waits for the user: not read
    expect(await b.trackingTasks()).toEqual(new Map());
    await a.update('s', (j) => ({ ...j, phase: 'tracking' }));
    // A job saved by a version without the index is found (through the view) only when asked for older ones.
    await redisCommand(redis.port, `HDEL ${redisKey(TRACKING)} s`);
    expect(await a.trackingTasks()).toEqual(new Map());
    expect(await a.trackingTasks(true)).toEqual(new Map([['s', 't-s']]));
    await Promise.all([a.close(), b.close()]);
  });

  it('update() in two processes at once loses no change (a checked write, tried again)', async () => {
    const [a, b] = [await open(), await open()];
    await a.save(makeJob({ id: 'x', prompt: '' }));
    const adds = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).update('x', (j) => ({ ...j, prompt: `${j.prompt}+` })),
    );
    await Promise.all(adds);
    expect((await a.get('x'))?.prompt).toBe('+'.repeat(20));
    await Promise.all([a.close(), b.close()]);
  });

  it('gives a finished job, its pointers and nothing active a TTL of the retention time', async () => {
    const store = await open(3 * DAY);
    await store.save(makeJob({ id: 'x', taskId: 't1', message: { ...makeJob().message, messageId: 'm1' } }));
    const ttl = (key: string) => redisCommand(redis.port, `PTTL ${redisKey(key)}`);
    expect(await ttl(jobKey('x'))).toBe(':-1');
    await store.update('x', (j) => ({ ...j, phase: 'failed' }));
    for (const key of [jobKey('x'), msgKey('m1'), taskKey('t1')]) {
      const ms = Number((await ttl(key)).slice(1));
      expect(ms).toBeGreaterThan(3 * DAY - 60_000);
      expect(ms).toBeLessThanOrEqual(3 * DAY);
    }
    expect(await store.prune(Date.now())).toBe(0); // Redis expires them itself
    await store.close();
  });

  it('an unreachable Redis stops the bot with a message naming STORE_URL, without its password', async () => {
    const store = JobStore.open('redis://bot:s3cret-pass@127.0.0.1:1', { onError: () => undefined });
    const err = await store.probe().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).problem).toBe('unreachable');
    expect((err as StoreError).message).toContain(
      'redis://bot:***@127.0.0.1:1 (STORE_URL) cannot be reached',
    );
    expect((err as StoreError).message).not.toContain('s3cret-pass');
    await store.close();
  });

  it('every process gets the same generated callback secret, kept in Redis (no file next to a store)', async () => {
    const env = {
      DISCORD_TOKEN: 'discord-token-value',
      MJ_BASE_URL: 'http://127.0.0.1:1',
      MJ_API_KEY: 'sk-x',
      STORE_URL: redis.url,
      PUBLIC_URL: 'https://bot.example.com',
    };
    const [a, b] = await Promise.all([1, 2].map(() => withSharedCallbackSecret(loadConfig(env))));
    expect(a?.callbackSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(b?.callbackSecret).toBe(a?.callbackSecret);
    expect(withCallbackSecret(a as never).callbackSecret).toBe(a?.callbackSecret);
    // Given in the environment, it is used as is and Redis is not asked.
    const given = await withSharedCallbackSecret(
      loadConfig({ ...env, CALLBACK_SECRET: 'given-secret-0123456789' }),
    );
    expect(given.callbackSecret).toBe('given-secret-0123456789');
  });
});
