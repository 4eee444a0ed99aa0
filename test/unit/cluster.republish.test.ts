import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOf } from '../../src/cluster/index.js';
import type { RedisCommands } from '../../src/cluster/redis.js';
import { RedisLeaseStore } from '../../src/cluster/redisLeaseStore.js';
import { JobStore } from '../../src/jobs/store.js';
import { FakeClock } from '../support/fakeClock.js';
import { silentLogger } from '../support/jobs.js';
import { type RedisServer, startRedis } from '../support/redis.js';

let server: RedisServer;
let store: JobStore;
beforeAll(async () => {
  server = await startRedis();
  store = JobStore.open(server.url, { onError: () => undefined });
  await store.probe();
});
afterAll(async () => {
  await store.close();
  await server.stop();
});

describe('start-up republish with several processes (real Redis)', () => {
  it('shows only the jobs this process owns or nobody holds; a tracked job keeps its lease', async () => {
    const cluster = clusterOf(store, {
      clock: new FakeClock(),
      logger: silentLogger,
      leaseMs: 15_000,
      channelWindowMs: 5_000,
      globalWindowMs: 1_000,
    });
    if (!cluster) throw new Error('no cluster on Redis');
    const client = store.redis as NonNullable<typeof store.redis>;
    const redis: RedisCommands = {
      sendCommand: <T>(args: readonly string[]) => client.sendCommand([...args]) as Promise<T>,
    };
    // Another live process follows `theirs`.
    expect(await new RedisLeaseStore(redis).acquire(['theirs'], 'other-process', 10_000)).toEqual(['theirs']);
    expect(await cluster.shows({ id: 'theirs', phase: 'tracking' })).toBe(false);
    expect(await cluster.shows({ id: 'free-final', phase: 'succeeded' })).toBe(true);
    expect(cluster.leases.owns('free-final')).toBe(false); // let go at once: nothing to follow
    expect(await cluster.shows({ id: 'free-tracked', phase: 'tracking' })).toBe(true);
    expect(cluster.leases.owns('free-tracked')).toBe(true); // kept: this process follows it
    await cluster.leases.stop();
  });
});
