import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clusterOf } from '../../src/cluster/index.js';
import type { RedisCommands } from '../../src/cluster/redis.js';
import { RedisLeaseStore } from '../../src/cluster/redisLeaseStore.js';
import { JobStore } from '../../src/jobs/store.js';
import type { Tracker } from '../../src/jobs/tracker.js';
import type { Job } from '../../src/jobs/types.js';
import { FakeClock } from '../support/fakeClock.js';
import { makeJob, silentLogger } from '../support/jobs.js';
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

/** One process's cluster parts over `over` (a store of its own on the shared Redis: another process). */
function clusterFor(over: JobStore, clock = new FakeClock()) {
  const cluster = clusterOf(over, {
    clock,
    logger: silentLogger,
    leaseMs: 15_000,
    channelWindowMs: 5_000,
    globalWindowMs: 1_000,
  });
  if (!cluster) throw new Error('no cluster on Redis');
  return cluster;
}

function leaseStoreOf(over: JobStore): RedisLeaseStore {
  const client = over.redis as NonNullable<typeof over.redis>;
  const redis: RedisCommands = {
    sendCommand: <T>(args: readonly string[]) => client.sendCommand([...args]) as Promise<T>,
  };
  return new RedisLeaseStore(redis);
}

/** A final job whose final state never reached Discord. */
const unshown = (id: string) =>
  makeJob({
    id,
    phase: 'succeeded',
    taskId: `t-${id}`,
    message: { ...makeJob().message, finalShown: false },
  });

/** What the publisher does once Discord took a final state. */
const markShown = (over: JobStore, job: Job) =>
  over.save({ ...job, message: { ...job.message, finalShown: true } });

describe('start-up republish with several processes (real Redis)', () => {
  it('shows only the jobs this process owns or nobody holds; a tracked job keeps its lease', async () => {
    const cluster = clusterFor(store);
    // Another live process follows `theirs`.
    expect(await leaseStoreOf(store).acquire(['theirs'], 'other-process', 10_000)).toEqual(['theirs']);
    expect(await cluster.shows({ id: 'theirs', phase: 'tracking' })).toBe(false);
    expect(await cluster.shows({ id: 'free-final', phase: 'succeeded' })).toBe(true);
    expect(cluster.leases.owns('free-final')).toBe(false); // let go at once: nothing to follow
    expect(await cluster.shows({ id: 'free-tracked', phase: 'tracking' })).toBe(true);
    expect(cluster.leases.owns('free-tracked')).toBe(true); // kept: this process follows it
    await cluster.leases.stop();
  });

  it('two processes starting at once show an unshown final state once', async () => {
    const other = JobStore.open(server.url, { onError: () => undefined });
    await other.probe();
    const a = clusterFor(store);
    const b = clusterFor(other);
    const job = unshown('final-at-start');
    await store.save(job);
    const shown: string[] = [];
    let discordTakes: () => void = () => undefined;
    const slowDiscord = new Promise<void>((resolve) => (discordTakes = resolve));
    const deliverBy = (name: string, over: JobStore) => async (j: Job) => {
      shown.push(name);
      await slowDiscord;
      await markShown(over, j);
    };
    // Both read the unshown list before either showed it; a is still uploading when b gets to it.
    const first = a.showFinal(job, deliverBy('a', store));
    await vi.waitFor(() => expect(shown).toEqual(['a']));
    await b.showFinal(job, deliverBy('b', other));
    discordTakes();
    await first;
    // And once a is done (its lease let go), b, still holding the list it read, finds it shown.
    await b.showFinal(job, deliverBy('b', other));
    expect(shown).toEqual(['a']);
    expect((await store.get(job.id))?.message.finalShown).toBe(true);
    expect(a.leases.count + b.leases.count).toBe(0);
    await other.close();
  });

  it('the lease scan reads only the jobs nobody holds: follows the tracked ones, ends dead submitters', async () => {
    const clock = new FakeClock(Date.UTC(2025, 5, 10, 12));
    const cluster = clusterFor(store, clock);
    const old = clock.now() - 10 * 60_000;
    const jobs = [
      makeJob({ id: 'scan-theirs', phase: 'tracking', taskId: 't-theirs' }),
      makeJob({ id: 'scan-free', phase: 'tracking', taskId: 't-free' }),
      makeJob({ id: 'scan-dead-submit', phase: 'submitting', taskId: null, updatedAt: old }),
      makeJob({ id: 'scan-live-submit', phase: 'submitting', taskId: null, updatedAt: old }),
    ];
    for (const job of jobs) await store.save(job);
    await leaseStoreOf(store).acquire(['scan-theirs', 'scan-live-submit'], 'other-process', 10_000);
    const read: string[][] = [];
    const getMany = store.getMany.bind(store);
    const spied = vi.spyOn(store, 'getMany').mockImplementation(async (ids) => {
      read.push([...ids].sort());
      return getMany(ids);
    });
    const tracked: string[] = [];
    const stale: string[][] = [];
    await cluster.start({
      tracker: {
        track: (job: Job) => void tracked.push(job.id),
        untrack: () => undefined,
      } as unknown as Tracker,
      queue: { pump: async () => undefined },
      applyCallback: async () => undefined,
      abandonStale: async (given) => void stale.push(given.map((j) => j.id)),
      reads: {
        reader: { fetchMany: async () => [], fetch: async () => null },
        batchSize: 10,
        baseIntervalMs: 1_000,
      },
    });
    await cluster.leases.scan();
    spied.mockRestore();
    expect(read.flat().filter((id) => id.startsWith('scan-'))).toEqual(['scan-dead-submit', 'scan-free']);
    expect(tracked).toEqual(['scan-free']);
    expect(stale).toEqual([['scan-dead-submit']]);
    expect(cluster.leases.owns('scan-free')).toBe(true);
    expect(cluster.leases.owns('scan-theirs')).toBe(false);
    await cluster.stop();
    for (const job of jobs) await store.save({ ...job, phase: 'failed' });
  });
});
