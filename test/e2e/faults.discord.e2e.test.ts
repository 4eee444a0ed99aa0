import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage, RestCall } from '../../emulators/discord/index.js';
import { drive, FakeClock } from '../support/fakeClock.js';
import { alice, CHANNEL, GRID_LABELS, Harness, labelsOf, OTHER_CHANNEL } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Message writes of the bot (creates and edits through either route), as the channel budget counts them. */
const writes = (calls: RestCall[]) =>
  calls.filter(
    (c) =>
      (c.method === 'PATCH' && /messages\/[^/]+$/.test(c.path)) ||
      (c.method === 'POST' && /^\/(webhooks\/[^/]+\/[^/]+|channels\/[^/]+\/messages)$/.test(c.path)),
  );

/** Edits (any route) that targeted `m`. */
const editsOf = (harness: Harness, m: FakeMessage, token: string) =>
  harness.discord.calls.filter(
    (c) => c.method === 'PATCH' && (c.path.includes(m.id) || c.path.includes(token)),
  );

/** Runs one job to 40 % and returns its message and interaction token. */
async function jobAt40(harness: Harness, prompt: string, channelId = CHANNEL) {
  const before = harness.sim.submits().length;
  const handle = await harness.imagine(prompt, alice, { channelId });
  const msg = await handle.message();
  await harness.submitted(before + 1);
  const task = harness.sim.lastTaskId();
  harness.sim.start(task);
  harness.sim.progress(task, 40);
  await harness.poll();
  expect(msg.content).toContain('(40%)');
  return { msg, task, token: handle.token };
}

/**
 * Fake time per step, the cap on steps (at most 1,000 s of fake time, well before any job deadline) and the real
 * time yielded per step: discord.js's REST queue sleeps in real time when the fake's rate-limit headers say a
 * bucket is empty, so the clock must not outrun it (10,000 steps leave it at least 10 s).
 */
const STEP_MS = 100;
const MAX_STEPS = 10_000;
const YIELD_MS = 1;

describe('rate limits (429)', () => {
  it('many jobs in one channel stay within its budget: no 429, every final state arrives', async () => {
    // The test drives the clock in steps as fast as it can, so seconds of it pass while the bot handles one
    // interaction: here the 3 s acknowledgement and the 15-minute tokens are not what is measured.
    const clock = new FakeClock(Date.now());
    const budget = { limit: 5, windowMs: 5_000 };
    h = await Harness.start({
      discord: {
        channelRateLimit: budget,
        now: () => clock.now(),
        ackTimeoutMs: null,
        tokenLifetimeMs: 86_400_000,
      },
      env: { MAX_CONCURRENT_PER_USER: '10' },
      // Upstream timeouts run on the same clock: the race through fake time must not time out a loopback request.
      bot: {
        clock,
        channelBudget: budget,
        upstream: { submitTimeoutMs: 3_600_000, readTimeoutMs: 3_600_000 },
      },
    });
    const harness = h;
    const msgs = await drive(
      clock,
      Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => (await harness.imagine(`job ${i}`)).message())),
      STEP_MS,
      MAX_STEPS,
      YIELD_MS,
    );
    await drive(clock, harness.submitted(6), STEP_MS, MAX_STEPS, YIELD_MS);
    const tasks = harness.sim.created.slice(-6);
    for (const pct of [10, 40, 80]) {
      for (const task of tasks) harness.sim.progress(task, pct);
      await drive(clock, harness.poll(), STEP_MS, MAX_STEPS, YIELD_MS);
    }
    for (const task of tasks) harness.sim.succeed(task);
    await drive(clock, harness.poll(), STEP_MS, MAX_STEPS, YIELD_MS);
    for (const m of msgs) expect(labelsOf(m)).toEqual(GRID_LABELS);
    expect(harness.discord.rateLimited).toBe(0);
    const times = writes(harness.discord.calls).map((c) => c.at);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 5_000).length));
    expect(busiest).toBeLessThanOrEqual(5);
  });

  it('a 429 Discord sends anyway is waited out and the final state still arrives', async () => {
    h = await Harness.start();
    const { msg, task, token } = await jobAt40(h, 'a rate limited job');
    h.discord.failNext(
      { method: 'PATCH', pathIncludes: token },
      { status: 429, headers: { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' } },
    );
    h.sim.succeed(task);
    await h.poll();
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
    expect(
      editsOf(h, msg, token)
        .map((c) => c.status)
        .slice(-2),
    ).toEqual([429, 200]);
  });
});

describe('Discord 5xx', () => {
  it('a progress edit that keeps failing is tried a few times then left; the final state arrives once Discord recovers', async () => {
    h = await Harness.start({ bot: { deliveryRetry: { baseMs: 5, maxMs: 20 } } });
    const { msg, task, token } = await jobAt40(h, 'a job while Discord is flaky');
    // discord.js retries a 5xx 3 times itself: 4 calls per attempt; 3 attempts for a progress state.
    h.discord.failNext({ method: 'PATCH', pathIncludes: token }, { status: 500 }, 12);
    h.sim.progress(task, 70);
    await h.poll();
    await h.waitForLog('could not update the job message', {
      jobId: (await h.bot.ctx.store.byMessage(msg.id))?.id,
    });
    expect(msg.content).toContain('(40%)');

    h.discord.failNext({ method: 'PATCH', pathIncludes: token }, { status: 502 }, 8);
    h.sim.succeed(task);
    await h.poll();
    await h.waitFor((m) => m.id === msg.id && m.attachments.length === 1);
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
    const retries = h.logs.filter((l) => l.includes('trying again') && l.includes('"final":true'));
    expect(retries).toHaveLength(2);
  });

  it('a final state Discord did not take before a restart is shown after it', async () => {
    h = await Harness.start({ bot: { deliveryRetry: { baseMs: 600_000, maxMs: 600_000 } } });
    const { msg, task, token } = await jobAt40(h, 'a job finished during an outage');
    h.discord.failNext({ method: 'PATCH', pathIncludes: token }, { status: 503 }, 4);
    h.sim.succeed(task);
    await h.poll();
    expect(msg.content).toContain('(40%)');
    const job = await h.bot.ctx.store.byMessage(msg.id);
    expect(job?.phase).toBe('succeeded');
    expect((await h.bot.ctx.store.unshownJobs()).map((j) => j.id)).toEqual([job?.id]);

    await h.restart();
    await h.waitFor((m) => m.id === msg.id && m.attachments.length === 1);
    await h.bot.publisher.idle();
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
    expect(await h.bot.ctx.store.unshownJobs()).toEqual([]);
  });
});

describe('messages and channels that disappear', () => {
  it('a message a moderator deleted (10008) is no longer edited; the job goes on and its record is kept', async () => {
    h = await Harness.start();
    const { msg, task, token } = await jobAt40(h, 'a job whose message is deleted');
    h.discord.deleteMessage(msg.id);
    h.expectDiscordError(10008); // the one edit that finds the message gone
    h.sim.progress(task, 70);
    await h.poll();
    await h.waitForLog('job message is gone; no more edits', { code: 10008 });
    const before = editsOf(h, msg, token).length;
    h.sim.succeed(task);
    await h.poll();
    expect(editsOf(h, msg, token)).toHaveLength(before);
    const job = await h.bot.ctx.store.byMessage(msg.id);
    expect(job?.phase).toBe('succeeded');
    expect(job?.message.gone).toBe(true);
    expect(job?.task?.buttons.length).toBe(9);
  });

  it('a deleted channel (10003) stops the edits of its jobs; other channels carry on', async () => {
    h = await Harness.start();
    const gone = await jobAt40(h, 'in a channel about to be deleted', CHANNEL);
    const other = await jobAt40(h, 'in another channel', OTHER_CHANNEL);
    h.discord.failNext(
      { method: 'PATCH', pathIncludes: gone.token },
      { status: 404, code: 10003, message: 'Unknown Channel' },
    );
    h.sim.progress(gone.task, 70);
    h.sim.progress(other.task, 70);
    await h.poll();
    await h.waitForLog('job message is gone; no more edits', { code: 10003 });
    h.sim.succeed(gone.task);
    h.sim.succeed(other.task);
    await h.poll();
    expect(labelsOf(other.msg)).toEqual(GRID_LABELS);
    expect(gone.msg.content).toContain('(40%)');
    expect((await h.bot.ctx.store.byMessage(gone.msg.id))?.phase).toBe('succeeded');
  });
});

describe('missing permissions (50013/50001) and closed DMs (50007)', () => {
  it('the requester is told through an ephemeral follow-up, and gets the result in a DM', async () => {
    h = await Harness.start();
    const { msg, task, token } = await jobAt40(h, 'a job in a locked channel');
    h.discord.failNext(
      { method: 'PATCH', pathIncludes: token },
      { status: 403, code: 50013, message: 'Missing Permissions' },
    );
    h.sim.progress(task, 70);
    await h.poll();
    const note = await h.waitFor((m) => m.ephemeral && m.content.includes('can no longer update'));
    expect(note.webhookToken).toBe(token);
    expect(note.content).toContain('**a job in a locked channel**');
    expect(note.content).toContain(`<#${CHANNEL}>`);
    const editsBefore = editsOf(h, msg, token).length;

    h.sim.succeed(task);
    await h.poll();
    const dm = await h.waitFor((m) => m.channelId === h?.discord.dmChannelFor(alice.id));
    expect(dm.content).toContain('could not post in');
    expect(dm.content).toContain('**a job in a locked channel**');
    expect(dm.attachments).toHaveLength(1);
    expect(labelsOf(dm)).toEqual(GRID_LABELS);
    expect(editsOf(h, msg, token)).toHaveLength(editsBefore);
    const job = await h.bot.ctx.store.byMessage(dm.id);
    expect(job?.message.channelId).toBe(dm.channelId); // its buttons now live in the DM
  });

  it('after the interaction token expired, the notice goes by DM; with DMs closed (50007) the bot logs it and carries on', async () => {
    h = await Harness.start();
    const first = await jobAt40(h, 'told by DM');
    h.discord.expireToken(first.token);
    h.discord.failNext({ method: 'PATCH', pathIncludes: first.msg.id }, { status: 403, code: 50001 });
    h.sim.progress(first.task, 70);
    await h.poll();
    const notice = await h.waitFor(
      (m) => m.channelId === h?.discord.dmChannelFor(alice.id) && m.content.includes('can no longer update'),
    );
    expect(notice.ephemeral).toBe(false);
    h.sim.succeed(first.task);
    await h.poll();
    await h.waitFor((m) => m.channelId === notice.channelId && m.attachments.length === 1); // its result

    const second = await jobAt40(h, 'DMs closed');
    h.discord.expireToken(second.token);
    h.discord.failNext({ method: 'PATCH', pathIncludes: second.msg.id }, { status: 403, code: 50013 });
    h.discord.failNext(
      { method: 'POST', pathIncludes: `/channels/${h.discord.dmChannelFor(alice.id)}/messages` },
      { status: 403, code: 50007, message: 'Cannot send messages to this user' },
      2,
    );
    h.sim.progress(second.task, 70);
    await h.poll();
    await h.waitForLog('the requester does not accept DMs from the bot; carrying on');
    h.sim.succeed(second.task);
    await h.poll();
    await h.waitForLog('the requester does not accept DMs from the bot; carrying on', {}, 2);
    const job = await h.bot.ctx.store.byMessage(second.msg.id);
    expect(job?.phase).toBe('succeeded');
    expect(job?.message.gone).toBe(true); // nowhere left to show it; the record stays
  });
});
