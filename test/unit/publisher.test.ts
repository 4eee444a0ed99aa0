import { DiscordAPIError, type REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ChannelBudget } from '../../src/delivery/budget.js';
import { Publisher, type PublisherOptions } from '../../src/delivery/publisher.js';
import { LocalJobEvents } from '../../src/jobs/events.js';
import { Jobs } from '../../src/jobs/service.js';
import { Tracker } from '../../src/jobs/tracker.js';
import type { Job } from '../../src/jobs/types.js';
import { drive, FakeClock, settle } from '../support/fakeClock.js';
import { makeJob, makeSnapshot, memoryStore, silentLogger } from '../support/jobs.js';

interface Call {
  route: string;
  content: string;
  at: number;
}

/** A REST stand-in that records edits; `fail` decides an error per call. */
function fakeRest(clock: FakeClock, fail: (route: string) => DiscordAPIError | null = () => null) {
  const calls: Call[] = [];
  const rest = {
    async patch(route: string, opts: { body: { content: string } }) {
      calls.push({ route, content: opts.body.content, at: clock.now() });
      const err = fail(route);
      if (err) throw err;
      return { id: 'm-created' };
    },
  } as unknown as REST;
  return { rest, calls };
}

function apiError(code: number, status: number): DiscordAPIError {
  return new DiscordAPIError({ code, message: 'x' }, code, status, 'PATCH', '/x', {
    body: undefined,
    files: undefined,
  });
}

async function setup(
  limit = 5,
  fail?: (route: string) => DiscordAPIError | null,
  finalReserve = 0,
  extra: (clock: FakeClock) => Partial<PublisherOptions> = () => ({}),
) {
  const clock = new FakeClock();
  const store = memoryStore();
  const events = new LocalJobEvents(silentLogger);
  const tracker = new Tracker({
    reader: { fetchMany: async () => [], fetch: async () => null },
    store,
    clock,
    logger: silentLogger,
    events,
    baseIntervalMs: 3000,
    batchSize: 50,
  });
  const jobs = new Jobs({
    store,
    tracker,
    clock,
    logger: silentLogger,
    deadlineMs: 60_000,
    events,
  });
  const { rest, calls } = fakeRest(clock, fail);
  const publisher = new Publisher({
    rest,
    jobs,
    events,
    budget: new ChannelBudget(clock, limit, 5_000),
    finalReserve, // none unless a test asks: the whole window is for the states under test
    clock,
    logger: silentLogger,
    uploadLimit: 1024,
    ...extra(clock),
  });
  return { clock, store, publisher, calls, events };
}

const progress = (id: string, pct: number, patch: Partial<Job> = {}): Job =>
  makeJob({
    id,
    updatedAt: pct,
    task: makeSnapshot({ progress: pct }),
    ...patch,
  });

describe('Publisher', () => {
  it('keeps only the latest state of a message while it waits for the budget', async () => {
    const { clock, publisher, calls } = await setup(1);
    publisher.publish(progress('a', 10));
    publisher.publish(progress('a', 20));
    publisher.publish(progress('a', 30));
    await drive(clock, publisher.idle());
    expect(calls.map((c) => c.content.match(/\((\d+)%\)/)?.[1])).toEqual(['10', '30']);
  });

  it('never exceeds the per-channel budget, and one channel does not wait for another', async () => {
    const { clock, publisher, calls } = await setup(2);
    for (let i = 0; i < 6; i++) publisher.publish(progress(`a${i}`, 10));
    publisher.publish(
      progress('b', 10, { message: { ...makeJob().message, channelId: '999999999999999999' } }),
    );
    await drive(clock, publisher.idle());
    const inA = calls.filter((c) => c.route.includes('333333333333333333'));
    const inB = calls.filter((c) => c.route.includes('999999999999999999'));
    expect(inA).toHaveLength(6);
    expect(inB[0]?.at).toBe(inA[0]?.at); // channel b went out at once
    // in any 5 s window channel a saw at most 2 writes (less one clock step: a write is recorded when the
    // fake REST sees it, up to one drive step after the budget let it go), and it used the budget fully
    const step = 250;
    for (const c of inA) {
      expect(inA.filter((d) => d.at >= c.at && d.at < c.at + 5_000 - step).length).toBeLessThanOrEqual(2);
    }
    expect((inA.at(-1)?.at ?? 0) - (inA[0]?.at ?? 0)).toBeLessThanOrEqual(10_000 + 250);
  });

  it('shows every job change announced on the hub', async () => {
    const { clock, publisher, calls, events } = await setup();
    events.emit({ type: 'progressed', from: 'tracking', job: progress('a', 10) });
    const failed = makeJob({ id: 'b', phase: 'failed', failure: { kind: 'deadline' } });
    events.emit({ type: 'failed', from: 'tracking', job: failed });
    await drive(clock, publisher.idle());
    expect(calls).toHaveLength(2);
    expect(calls.filter((c) => c.content.includes('(10%)'))).toHaveLength(1);
  });

  it('sends final states before waiting progress states', async () => {
    const { clock, publisher, calls } = await setup(1);
    publisher.publish(progress('first', 10));
    publisher.publish(progress('p1', 10));
    publisher.publish(progress('p2', 10));
    publisher.publish(makeJob({ id: 'done', phase: 'failed', failure: { kind: 'deadline' }, updatedAt: 1 }));
    await drive(clock, publisher.idle());
    const order = calls.map((c) => (c.content.includes('(10%)') ? 'progress' : 'final'));
    expect(order).toEqual(['progress', 'final', 'progress', 'progress']);
  });

  it("leaves a new job's first write out of the final reserve; a job released from the line may use it", async () => {
    // 5 writes per window, 2 of them kept for results. Five new jobs take 3 writes now; a result and a job
    // released from the line, coming right after, both still go at once; the other two new jobs wait a window.
    const { clock, publisher, calls } = await setup(5, undefined, 2);
    for (let i = 0; i < 5; i++)
      publisher.publish(makeJob({ id: `new${i}`, phase: 'submitting', updatedAt: 1 }));
    await settle();
    expect(calls).toHaveLength(3);
    const start = calls[0]?.at ?? 0;
    publisher.publish(makeJob({ id: 'done', phase: 'failed', failure: { kind: 'deadline' }, updatedAt: 1 }));
    publisher.publish(makeJob({ id: 'released', phase: 'submitting', waitingPosition: null, updatedAt: 1 }));
    await drive(clock, publisher.idle());
    expect(calls).toHaveLength(7);
    expect(calls.filter((c) => c.at < start + 5_000)).toHaveLength(5);
    expect(calls.filter((c) => c.at >= start + 5_000)).toHaveLength(2);
  });

  it('edits through the interaction token while valid, then through the channel when it is refused', async () => {
    const { clock, publisher, calls, store } = await setup(5, (route) =>
      route.startsWith('/webhooks') ? apiError(50027, 401) : null,
    );
    const job = progress('a', 10, {
      message: {
        ...makeJob().message,
        interaction: { applicationId: 'app', token: 'tok', expiresAt: Date.now() * 2 },
      },
    });
    await store.save(job);
    await drive(clock, publisher.deliver(job));
    expect(calls.map((c) => c.route.split('/')[1])).toEqual(['webhooks', 'channels']);
    expect((await store.get('a'))?.message.interaction).toBeNull();
  });

  it('writes through tokens outside the bot-wide budget and its REST client; channel routes within both', async () => {
    let token = fakeRest(new FakeClock());
    const { clock, publisher, calls } = await setup(5, undefined, 0, (clock) => {
      token = fakeRest(clock);
      return { tokenRest: token.rest, globalBudget: new ChannelBudget(clock, 1, 1_000) }; // one bot write a second
    });
    const at = (id: string, channelId: string, expiresAt: number) =>
      progress(id, 10, {
        message: {
          ...makeJob().message,
          channelId,
          messageId: `m-${id}`,
          interaction: { applicationId: 'app', token: `tok-${id}`, expiresAt },
        },
      });
    const live = Date.now() * 2;
    for (const id of ['t1', 't2', 't3']) publisher.publish(at(id, `c-${id}`, live));
    for (const id of ['b1', 'b2']) publisher.publish(at(id, `c-${id}`, clock.now() - 1));
    await drive(clock, publisher.idle(), 100);
    // The three token writes at once, through their own client; the two channel writes a second apart.
    expect(token.calls.map((c) => c.route.split('/')[3])).toEqual(['tok-t1', 'tok-t2', 'tok-t3']);
    expect(new Set(token.calls.map((c) => c.at)).size).toBe(1);
    expect(calls.map((c) => c.route.split('/')[1])).toEqual(['channels', 'channels']);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('uses the channel route once the token is past its 15 minutes', async () => {
    const { clock, publisher, calls } = await setup();
    const job = progress('a', 10, {
      message: {
        ...makeJob().message,
        interaction: { applicationId: 'app', token: 'tok', expiresAt: clock.now() - 1 },
      },
    });
    await drive(clock, publisher.deliver(job));
    expect(calls.map((c) => c.route)).toEqual(['/channels/333333333333333333/messages/444444444444444444']);
  });

  it('stops editing a message a moderator deleted, and keeps the job', async () => {
    const { clock, publisher, calls, store } = await setup(5, () => apiError(10008, 404));
    const job = progress('a', 10);
    await store.save(job);
    await drive(clock, publisher.deliver(job));
    await drive(clock, publisher.deliver(progress('a', 20)));
    expect(calls).toHaveLength(1);
    expect((await store.get('a'))?.message.gone).toBe(true);
  });
});
