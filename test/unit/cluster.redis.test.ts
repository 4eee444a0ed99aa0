import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admissionLock } from '../../src/cluster/admission.js';
import { RedisBudget } from '../../src/cluster/budget.js';
import type { RedisCommands } from '../../src/cluster/redis.js';
import { RedisJobEvents } from '../../src/cluster/redisEvents.js';
import { RedisLeaseStore } from '../../src/cluster/redisLeaseStore.js';
import { redisReadState } from '../../src/cluster/redisReadState.js';
import { recordedMarks, redisTaskOrder, taskMark, unapplied } from '../../src/cluster/taskOrder.js';
import { eventOf, type JobEvent } from '../../src/jobs/events.js';
import { JobStore } from '../../src/jobs/store.js';
import type { MjTask } from '../../src/upstream/types.js';
import { systemClock } from '../../src/util/clock.js';
import { makeJob, makeTask, silentLogger } from '../support/jobs.js';
import { type RedisServer, startRedis } from '../support/redis.js';

/** The cluster parts on a real Redis (Debian's redis-server on a free loopback port). */
let server: RedisServer;
const clients: Array<ReturnType<typeof createClient>> = [];

async function connect(): Promise<ReturnType<typeof createClient>> {
  const c = createClient({ url: server.url });
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

const cmds = (c: ReturnType<typeof createClient>) => c as unknown as RedisCommands;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const c of clients) await c.quit().catch(() => undefined);
  await server.stop();
});
beforeEach(() => server.flush());

/** Resolves once `check()` holds, polling Redis-side work (pub/sub delivery) without a fixed sleep. */
async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('leases in Redis', () => {
  it('one owner per job; renew and release only by the owner; an expired lease is free', async () => {
    const store = new RedisLeaseStore(cmds(await connect()));
    expect(await store.acquire(['a', 'b'], 'p1', 60_000)).toEqual(['a', 'b']);
    expect(await store.acquire(['a', 'c'], 'p2', 60_000)).toEqual(['c']);
    expect(await store.renew(['a', 'c'], 'p1', 60_000)).toEqual(['a']);
    await store.release(['a', 'c'], 'p1'); // c is p2's: untouched
    expect(await store.free(['a', 'b', 'c'])).toEqual(['a']);
    expect(await store.acquire(['x'], 'p1', 1)).toEqual(['x']);
    await new Promise((r) => setTimeout(r, 10)); // the 1 ms expiry passes on Redis's own clock
    expect(await store.acquire(['x'], 'p2', 60_000)).toEqual(['x']);
  });
});

describe('admission lock', () => {
  it('read-modify-write decisions of three processes never interleave', async () => {
    const conns = [await connect(), await connect(), await connect()];
    const locks = conns.map((c, i) => admissionLock({ redis: cmds(c), clock: systemClock, owner: `p${i}` }));
    const counter = cmds(conns[0] as ReturnType<typeof createClient>);
    const step = async () => {
      const n = Number((await counter.sendCommand<string | null>(['GET', 'n'])) ?? 0);
      await new Promise((r) => setImmediate(r));
      await counter.sendCommand(['SET', 'n', String(n + 1)]);
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => locks[i % 3]?.(step)));
    expect(await counter.sendCommand(['GET', 'n'])).toBe('30');
  });
});

describe('shared Discord budget', () => {
  it('three processes together never exceed the channel budget or the bot-wide one', async () => {
    const budgets = await Promise.all(
      [0, 1, 2].map(
        async (i) =>
          new RedisBudget({
            redis: cmds(await connect()),
            owner: `p${i}`,
            channelWindowMs: 5_000,
            globalWindowMs: 1_000,
          }),
      ),
    );
    const tries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => budgets[i % 3]?.reserve('chan', { channel: 5, global: 48 })),
    );
    expect(tries.filter((t) => t?.wait === 0)).toHaveLength(5);
    expect(tries.filter((t) => (t?.wait ?? 0) > 0).every((t) => (t?.wait ?? 0) <= 5_000)).toBe(true);
    const wide = await Promise.all(
      Array.from({ length: 60 }, (_, i) => budgets[i % 3]?.reserve(`c${i}`, { channel: 5, global: 10 })),
    );
    expect(wide.filter((t) => t?.wait === 0)).toHaveLength(5); // 10 bot-wide per window, 5 already spent
    // Writes through interaction tokens: only their channels' budgets hold them; the bot-wide log is full but
    // neither waited on nor added to.
    const tokens = await Promise.all(
      Array.from({ length: 30 }, (_, i) => budgets[i % 3]?.reserve(`t${i}`, { channel: 5, global: null })),
    );
    expect(tokens.every((t) => t?.wait === 0)).toBe(true);
    const after = await budgets[0]?.reserve('c-after', { channel: 5, global: 11 });
    expect(after?.wait).toBe(0); // the 11th bot-wide write of the window: the token writes were not counted
  });
});

describe('task order', () => {
  it('an older state never overwrites a newer one, whichever process applies it', async () => {
    const [p1, p2] = [redisTaskOrder(cmds(await connect())), redisTaskOrder(cmds(await connect()))];
    const at = (status: string, progress: string | null): MjTask => makeTask({ id: 't', status, progress });
    expect(await p1('j', at('IN_PROGRESS', '40%'))).toBe(true);
    expect(await p2('j', at('IN_PROGRESS', '60%'))).toBe(true);
    expect(await p1('j', at('IN_PROGRESS', '40%'))).toBe(false);
    expect(await p2('j', at('SUCCESS', '100%'))).toBe(true);
    expect(await p1('j', at('IN_PROGRESS', '90%'))).toBe(false);
    expect(await p1('j', at('SUCCESS', '100%'))).toBe(true); // the same state again is harmless
  });

  it('records the applied state, so the shared reader hands over only what is not applied yet', async () => {
    const redis = cmds(await connect());
    const order = redisTaskOrder(redis);
    const state = (progress: string, imageUrl: string | null = null) =>
      makeTask({ id: 't', status: 'IN_PROGRESS', progress, imageUrl });
    expect(await recordedMarks(redis, ['a', 'b'])).toEqual([null, null]);
    expect(await order('a', state('40%'))).toBe(true);
    const [recorded] = await recordedMarks(redis, ['a']);
    expect(recorded).toBe(taskMark(state('40%')));
    expect(unapplied(taskMark(state('40%')), recorded ?? null)).toBe(false);
    expect(unapplied(taskMark(state('60%')), recorded ?? null)).toBe(true);
    expect(unapplied(taskMark(state('40%', 'https://cdn.example/p.png')), recorded ?? null)).toBe(true); // same rank, new preview
    expect(unapplied(taskMark(state('20%')), recorded ?? null)).toBe(false); // older
    // A bare rank recorded before marks existed still orders states.
    await redis.sendCommand(['SET', 'mj::task-rank:b', '2050']);
    expect(await order('b', state('40%'))).toBe(false);
    expect(await order('b', state('60%'))).toBe(true);
  });
});

describe('shared read state', () => {
  it('a beat carries its ttl and only its owner takes it back; the tracking index comes from the store', async () => {
    const store = JobStore.open(server.url, { onError: () => undefined });
    await store.probe();
    const state = redisReadState(cmds(await connect()), store);
    expect(await state.fresh()).toBe(false);
    await state.beat('p1', 60_000);
    expect(await state.fresh()).toBe(true);
    await state.end('p2');
    expect(await state.fresh()).toBe(true);
    await state.end('p1');
    expect(await state.fresh()).toBe(false);
    await state.beat('p2', 5_000);
    expect(Number(await cmds(await connect()).sendCommand(['PTTL', 'mj::reader:round']))).toBeGreaterThan(
      4_000,
    );
    await store.save(makeJob({ id: 'x', phase: 'tracking', taskId: 't-x' }));
    expect(await state.tracking(false)).toEqual(new Map([['x', 't-x']]));
    await store.close();
  });
});

describe('job events across processes', () => {
  it('slot-freeing events reach the other processes once; local handlers hear only local events', async () => {
    const hubs = await Promise.all(
      ['p1', 'p2'].map(async (origin) => {
        const hub = new RedisJobEvents({
          redis: cmds(await connect()),
          subscriber: (await connect()) as never,
          origin,
          logger: silentLogger,
        });
        await hub.start();
        return hub;
      }),
    );
    const [h1, h2] = hubs as [RedisJobEvents, RedisJobEvents];
    const local: JobEvent[] = [];
    const remote1: JobEvent[] = [];
    const remote2: JobEvent[] = [];
    const tasks: MjTask[] = [];
    h2.on('*', (e) => void local.push(e));
    h1.onRemote(['finished', 'failed', 'paused'], (e) => void remote1.push(e));
    h2.onRemote(['finished', 'failed', 'paused'], (e) => void remote2.push(e));
    h2.onForwardedTask((t) => void tasks.push(t));
    const job = makeJob();
    h1.emit(eventOf({ phase: 'tracking' }, { ...job, phase: 'tracking' })); // progressed: stays local
    h1.emit(eventOf({ phase: 'tracking' }, { ...job, phase: 'succeeded' }));
    h1.forwardTask(makeTask({ id: 'task-9' }));
    await until(() => remote2.length > 0 && tasks.length > 0);
    expect(remote2.map((e) => e.type)).toEqual(['finished']);
    expect(remote2[0]?.job).toEqual({ ...job, phase: 'succeeded' });
    expect(remote1).toEqual([]); // its own events are not heard back
    expect(local).toEqual([]);
    expect(tasks.map((t) => t.id)).toEqual(['task-9']);
    for (const h of hubs) await h.stop();
  });
});
