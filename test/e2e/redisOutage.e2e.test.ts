import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Harness } from '../support/harness.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { TcpGate } from '../support/tcpGate.js';

let redis: RedisServer;
let gate: TcpGate | undefined;
let h: Harness | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await gate?.reopen().catch(() => undefined); // open again (if shut) so the bot can close its client
  await h?.close();
  h = undefined;
  await gate?.close();
  gate = undefined;
  await redis.flush();
});

/** What docs/deployment.md says of "Redis goes away while running", checked on a real Redis behind a gate. */
describe('Redis going away while the bot runs (STORE_URL=redis://…)', () => {
  it('a new job is refused with a note; the running job is kept and finishes once Redis is back', async () => {
    gate = await TcpGate.open(`http://127.0.0.1:${redis.port}`);
    h = await Harness.start({ env: { STORE_URL: `redis://127.0.0.1:${gate.port}` } });
    const grid = await (await h.imagine('a fox before the outage')).message();
    await h.submitted(1);
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 50);
    await h.poll();
    expect(grid.content).toContain('(50%)');

    await gate.shut();
    h.sim.succeed(task);
    await h.poll(); // the result cannot be saved: the tracker backs off and reads the task again later
    expect(grid.attachments).toHaveLength(0);
    await h.waitForLog('saving polled tasks failed; backing off');
    const during = await h.imagine('a fox during the outage');
    const note = await h.discord.waitForMessage(
      (m) => m.interactionId === during.id && m.content.includes('Something went wrong'),
    );
    expect(note.content).toBe('Something went wrong on our side. Please try again later.');
    expect(h.sim.submits('imagine')).toHaveLength(1); // nothing was sent for it

    await gate.reopen();
    // The client reconnects by itself; the tracker reads the task again at its next due poll.
    await vi.waitFor(
      async () => {
        await h?.poll();
        expect(grid.attachments).toHaveLength(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(grid.content).not.toContain('%');
    expect(h.sim.submits('imagine')).toHaveLength(1);
  });
});
