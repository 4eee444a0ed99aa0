import type { REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ChannelBudget } from '../../src/delivery/budget.js';
import { Publisher } from '../../src/delivery/publisher.js';
import { LocalJobEvents } from '../../src/jobs/events.js';
import { Jobs } from '../../src/jobs/service.js';
import { Tracker } from '../../src/jobs/tracker.js';
import type { Job, TaskSnapshot } from '../../src/jobs/types.js';
import { drive, FakeClock } from '../support/fakeClock.js';
import { makeJob, makeSnapshot, memoryStore, silentLogger } from '../support/jobs.js';

/**
 * One user's three jobs in one channel, Discord's real budget (5 writes per 5 s) and the publisher's default
 * final reserve: the first job progresses, then ends; the second is released, the third moves up in line.
 */
function setup() {
  const clock = new FakeClock(0);
  const store = memoryStore();
  const events = new LocalJobEvents(silentLogger);
  const reader = { fetchMany: async () => [], fetch: async () => null };
  const tracker = new Tracker({
    reader,
    store,
    clock,
    logger: silentLogger,
    events,
    baseIntervalMs: 3000,
    batchSize: 50,
  });
  const jobs = new Jobs({ store, tracker, clock, logger: silentLogger, deadlineMs: 600_000, events });
  const calls: Array<{ content: string; at: number }> = [];
  const rest = {
    async patch(_route: string, opts: { body: { content: string } }) {
      calls.push({ content: opts.body.content, at: clock.now() });
      return { id: 'm' };
    },
  } as unknown as REST;
  const publisher = new Publisher({
    rest,
    jobs,
    events,
    budget: new ChannelBudget(clock, 5, 5_000),
    clock,
    logger: silentLogger,
    uploadLimit: 1024,
  });
  return { clock, publisher, calls };
}

const task = (progress: number): TaskSnapshot => makeSnapshot({ progress });

describe('a waiting job moving up in line', () => {
  it('shows its new position as soon as the channel budget allows, not after the final reserve', async () => {
    const { clock, publisher, calls } = setup();
    const at = (id: string, patch: Partial<Job>) =>
      makeJob({
        id,
        message: { ...makeJob().message, messageId: `m-${id}` },
        updatedAt: clock.now(),
        ...patch,
      });
    // The first job progresses (two writes in the window), the others wait in line.
    publisher.publish(at('a', { task: task(20) }));
    publisher.publish(at('c', { phase: 'queued', waitingPosition: 2, taskId: null }));
    await drive(clock, publisher.idle());
    await clock.advance(3_000);
    publisher.publish(at('a', { task: task(60) }));
    await drive(clock, publisher.idle());
    await clock.advance(1_000);
    // The first ends: its result, the second released, the third now first in line — all at once.
    const freed = clock.now();
    publisher.publish(at('a', { phase: 'succeeded', task: { ...task(100), status: 'SUCCESS' } }));
    publisher.publish(at('b', { phase: 'submitting', taskId: null }));
    publisher.publish(at('c', { phase: 'queued', waitingPosition: 1, taskId: null }));
    await drive(clock, publisher.idle(), 50);
    const moved = calls.find((c) => c.content.includes('position #1'));
    // Five writes in any 5 s: two progress writes 4 s and 1 s ago, the final now, then both moves fit.
    expect(moved?.at).toBeDefined();
    expect((moved?.at ?? 0) - freed).toBeLessThanOrEqual(100);
  });
});
