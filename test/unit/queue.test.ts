import { describe, expect, it } from 'vitest';
import { type JobEvent, LocalJobEvents } from '../../src/jobs/events.js';
import { type LimitSettings, type Requester, UsageStore } from '../../src/jobs/limits.js';
import { LimitError, LocalQueue, type Send } from '../../src/jobs/queue.js';
import { Jobs } from '../../src/jobs/service.js';
import { Tracker } from '../../src/jobs/tracker.js';
import type { Job } from '../../src/jobs/types.js';
import { MjError } from '../../src/upstream/errors.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { memoryStore, silentLogger } from '../support/jobs.js';

const SETTINGS: LimitSettings = {
  perUser: 2,
  perGuild: 0,
  dailyQuota: 0,
  quotaExemptAdmins: true,
  resetHourUtc: 0,
  maxQueue: 10,
  maxQueuedPerUser: 5,
};
const alice: Requester = { userId: '1', guildId: '9', manager: false };

function setup(settings: Partial<LimitSettings> = {}, rebuild?: (job: Job) => Promise<Send>) {
  const store = memoryStore();
  const clock = new FakeClock(Date.UTC(2025, 5, 10, 12));
  const changes: Job[] = [];
  const events = new LocalJobEvents(silentLogger);
  const seen: JobEvent[] = [];
  events.on('*', (event) => {
    seen.push(event);
    changes.push(event.job);
  });
  const tracker = new Tracker({
    reader: { fetchMany: async () => [], fetch: async () => null },
    store,
    clock,
    logger: silentLogger,
    events,
    baseIntervalMs: 1_000,
    batchSize: 50,
  });
  const jobs = new Jobs({ store, tracker, clock, logger: silentLogger, deadlineMs: 60_000, events });
  const usage = new UsageStore(store.keyv, clock, 0);
  const sent: string[] = [];
  const queue = new LocalQueue({
    store,
    jobs,
    events,
    usage,
    clock,
    logger: silentLogger,
    settings: { ...SETTINGS, ...settings },
    rebuild: rebuild ?? (async (job) => accept(sent, `rebuilt:${job.prompt}`)),
  });
  let n = 0;
  /** Starts a job as startJobAt does: admit, then send now unless it waits. */
  const start = async (prompt: string, who: Requester = alice, send: Send = accept(sent, prompt)) => {
    const { job, queued } = await queue.admit(
      who,
      (s) =>
        jobs.create({
          kind: 'imagine',
          prompt,
          ownerId: who.userId,
          locale: 'en',
          mode: 'fast',
          request: { kind: 'imagine', mode: 'fast', botType: null, prompt, imageUrls: [] },
          message: { guildId: who.guildId, channelId: '5', messageId: `${++n}`, interaction: null },
          ...s,
        }),
      send,
    );
    return queued ? job : queue.run(job, send);
  };
  /** Ends a running job as the tracker would when its task finished. */
  const finish = async (id: string) => {
    const done = await store.update(id, (j) => ({ ...j, phase: 'succeeded', updatedAt: clock.now() }));
    if (done) events.emit({ type: 'finished', from: 'tracking', job: done });
    await queue.idle();
  };
  return { store, clock, queue, jobs, usage, sent, changes, seen, start, finish, tracker };
}

let task = 0;
function accept(sent: string[], label: string): Send {
  return async () => {
    sent.push(label);
    task += 1;
    return { kind: 'accepted', taskId: `t${task}`, code: 1, description: '', queuePosition: null };
  };
}

describe('LocalQueue', () => {
  it('runs up to the per-user limit, queues the rest with positions, and starts them as slots free', async () => {
    const q = setup();
    const a = await q.start('a');
    const b = await q.start('b');
    const c = await q.start('c');
    const d = await q.start('d');
    expect([a.phase, b.phase, c.phase, d.phase]).toEqual(['tracking', 'tracking', 'queued', 'queued']);
    expect([c.waitingPosition, d.waitingPosition]).toEqual([1, 2]);
    expect(q.sent).toEqual(['a', 'b']);

    await q.finish(a.id);
    expect(q.sent).toEqual(['a', 'b', 'c']); // c's own submit, kept from its request
    expect((await q.store.get(c.id))?.phase).toBe('tracking');
    const waiting = await q.store.get(d.id);
    expect(waiting?.waitingPosition).toBe(1);
    expect(q.changes.some((j) => j.id === d.id && j.waitingPosition === 1)).toBe(true);
    // c left the queue and was sent; d moved up in line.
    const of = (id: string) => q.seen.filter((e) => e.job.id === id).map((e) => e.type);
    expect(of(c.id)).toEqual(['released', 'accepted']);
    expect(of(d.id)).toEqual(['queued']);

    await q.finish(b.id);
    expect(q.sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('another user is not held up by a user at their limit', async () => {
    const q = setup();
    await q.start('a1');
    await q.start('a2');
    expect((await q.start('a3')).phase).toBe('queued');
    const bob = await q.start('b1', { userId: '2', guildId: '9', manager: false });
    expect(bob.phase).toBe('tracking');
  });

  it('the daily quota refuses past its count, gives back refused submits, and renews the next day', async () => {
    const q = setup({ dailyQuota: 2 });
    await q.start('a');
    const refused = await q.start('banned', alice, async () => {
      throw new MjError({ kind: 'banned', code: 24, bannedWord: 'x' });
    });
    expect(refused.phase).toBe('failed');
    expect(await q.usage.used(alice.userId)).toBe(1); // the refused one gave its unit back
    await q.start('b');
    await expect(q.start('c')).rejects.toBeInstanceOf(LimitError);
    await expect(q.queue.precheck(alice)).rejects.toMatchObject({ refusal: { reason: 'quota', quota: 2 } });
    await expect(q.queue.precheck({ ...alice, manager: true })).resolves.toBeUndefined();
    await q.clock.advance(12 * 3_600_000);
    expect((await q.start('d')).phase).toBe('queued'); // quota renewed; the user limit still holds
  });

  it('reads the load and the quota side by side (one wait before the answer, not two)', async () => {
    const q = setup();
    const reads: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const counts = q.store.activeCounts.bind(q.store);
    q.store.activeCounts = async (userId, guildId) => {
      reads.push('load');
      await gate; // the load's read is slow: the quota's must not wait for it
      return counts(userId, guildId);
    };
    const used = q.usage.used.bind(q.usage);
    q.usage.used = async (userId) => {
      reads.push('quota');
      return used(userId);
    };
    const answer = q.queue.precheck(alice);
    await settle();
    expect(reads.sort()).toEqual(['load', 'quota']);
    release();
    await expect(answer).resolves.toBeUndefined();
  });

  it('refuses past the queue caps', async () => {
    const q = setup({ perUser: 1, maxQueuedPerUser: 1, maxQueue: 2 });
    await q.start('a');
    await q.start('b');
    await expect(q.start('c')).rejects.toMatchObject({ refusal: { reason: 'user_queue_full', max: 1 } });
    await q.start('x', { userId: '2', guildId: '9', manager: false });
    await q.start('y', { userId: '2', guildId: '9', manager: false });
    // The caps refuse only what would have to wait: user 3 has a free slot.
    const carol = { userId: '3', guildId: '9', manager: false };
    expect((await q.start('z', carol)).phase).toBe('tracking');
    await expect(q.start('w', carol)).rejects.toMatchObject({ refusal: { reason: 'queue_full', max: 2 } });
  });

  it('cancel: a waiting job ends and gives its unit back; a started one cannot be cancelled', async () => {
    const q = setup({ perUser: 1 });
    const a = await q.start('a');
    const b = await q.start('b');
    expect(await q.usage.used(alice.userId)).toBe(2);
    const cancelled = await q.queue.cancel(b.id);
    expect(cancelled).toMatchObject({ phase: 'failed', failure: { kind: 'cancelled' } });
    expect(await q.usage.used(alice.userId)).toBe(1);
    await q.finish(a.id);
    expect(q.sent).toEqual(['a']); // the cancelled job is never sent

    const c = await q.start('c');
    expect(q.tracker.has(c.id)).toBe(true);
    const started = await q.store.update(c.id, (j) => ({
      ...j,
      task: { ...(j.task as NonNullable<Job['task']>), status: 'IN_PROGRESS' },
    }));
    expect(started).not.toBeNull();
    expect(await q.queue.cancel(c.id)).toBeNull();

    const d = await q.start('d', { userId: '2', guildId: '9', manager: false });
    expect(await q.queue.cancel(d.id)).toMatchObject({ failure: { kind: 'cancelled' } });
    expect(q.tracker.has(d.id)).toBe(false); // accepted but not started: no longer tracked
  });

  it('every change of a job is announced on the hub, with the phase it left', async () => {
    const q = setup({ perUser: 1 });
    const refused = await q.start('refused', alice, async () => {
      throw new MjError({ kind: 'banned', code: 24, bannedWord: 'x' });
    });
    const a = await q.start('a');
    const b = await q.start('b');
    await q.queue.cancel(b.id);
    const of = (id: string) => q.seen.filter((e) => e.job.id === id).map((e) => `${e.from}→${e.type}`);
    expect(of(refused.id)).toEqual(['submitting→failed']);
    expect(of(a.id)).toEqual(['submitting→accepted']);
    expect(of(b.id)).toEqual(['queued→failed']);
    expect(q.seen.every((e) => JSON.stringify(JSON.parse(JSON.stringify(e))) === JSON.stringify(e))).toBe(
      true,
    );
  });

  it('after a restart a waiting job is sent from its record; one that cannot be rebuilt ends as not sent', async () => {
    const q = setup({ perUser: 1 });
    const a = await q.start('a');
    const b = await q.start('b');
    const c = await q.start('c', { userId: '2', guildId: '9', manager: false });
    expect(c.phase).toBe('tracking');
    // A new process over the same store: nothing held in memory.
    let fail = false;
    const again = new LocalQueue({
      store: q.store,
      jobs: q.jobs,
      events: new LocalJobEvents(silentLogger),
      usage: q.usage,
      clock: q.clock,
      logger: silentLogger,
      settings: { ...SETTINGS, perUser: 1 },
      rebuild: async (job) => {
        if (fail) throw new Error('images expired');
        return accept(q.sent, `rebuilt:${job.prompt}`);
      },
    });
    await again.pump();
    expect((await q.store.get(b.id))?.phase).toBe('queued'); // alice's slot is still taken
    await q.store.update(a.id, (j) => ({ ...j, phase: 'succeeded' }));
    await again.pump();
    await again.idle();
    expect(q.sent.at(-1)).toBe('rebuilt:b');
    expect((await q.store.get(b.id))?.phase).toBe('tracking');

    const d = await q.start('d', { userId: '2', guildId: '9', manager: false });
    expect(d.phase).toBe('queued');
    fail = true;
    await q.store.update(c.id, (j) => ({ ...j, phase: 'succeeded' }));
    const before = await q.usage.used('2');
    await again.pump();
    await again.idle();
    expect(await q.store.get(d.id)).toMatchObject({ phase: 'failed', failure: { kind: 'not_sent' } });
    expect(await q.usage.used('2')).toBe(before - 1);
  });
});
