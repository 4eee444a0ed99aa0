import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import { alice } from '../support/harness.js';
import { channelOf, cleanUp, GUILDS, threeProcesses } from './cluster.support.js';

/** Four new jobs in one channel: the fourth's first write waits for the next 5 s window. */
const FIRST_WRITE_MS = 20_000;

afterEach(cleanUp);

describe('three bot processes over Redis', () => {
  it('one SIGKILLed with jobs in flight: every job finishes in its own message, once', async () => {
    const c = await threeProcesses();
    const places = [...GUILDS, null];
    const jobs = await Promise.all(
      // A channel's new jobs share the progress part of its window (3 of 5 writes per 5 s, the rest is kept for
      // results): a busy channel's first writes may wait for the next window.
      Array.from({ length: 12 }, (_, i) =>
        c.imagine(`cluster job ${i}`, places[i % places.length] ?? null, FIRST_WRITE_MS),
      ),
    );
    await c.sim.waitForRequest(() => c.sim.created.length === 12);
    for (const job of jobs) {
      c.sim.start(c.taskOf(job.prompt));
      c.sim.progress(c.taskOf(job.prompt), 20);
    }
    await Promise.all(
      // Three jobs per channel: the channel's budget (5 writes per 5 s, most kept for finals) paces progress.
      jobs.map((job) =>
        c.discord.waitForMessage((m) => m.id === job.msg.id && m.content.includes('(20%)'), {
          timeoutMs: 30_000,
        }),
      ),
    );
    // One process reads the tasks of all three (shared reads, src/cluster/sharedReads.ts): one list names all 12;
    // each process reading its own would name at most the 4 or 5 jobs of its shard.
    const lists = c.sim.requests.filter((r) => r.endpoint === 'task/list-by-condition');
    expect(Math.max(...lists.map((r) => (r.body.ids as string[]).length))).toBe(12);
    const [survivorA, victim, survivorB] = c.procs as [BotProcess, BotProcess, BotProcess];
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await victim.exited;
    for (const job of jobs) c.sim.succeed(c.taskOf(job.prompt));
    const takeover = await Promise.any(
      [survivorA, survivorB].map((p) => p.waitForLog('job leases taken over', {}, 1, 20_000)),
    );
    console.log(`takeover after SIGKILL: ${Number(takeover.time) - killedAt} ms (LEASE_MS=3000)`);
    expect(Number(takeover.time) - killedAt).toBeLessThanOrEqual(3_000 + 500);
    await Promise.all(
      jobs.map((job) =>
        c.discord.waitForMessage((m) => m.id === job.msg.id && m.attachments.length === 1, {
          timeoutMs: 20_000,
        }),
      ),
    );
    const prompts = c.sim.submits('imagine').map((r) => r.body.prompt);
    expect(prompts).toHaveLength(12); // 0 duplicated submits
    expect(new Set(prompts).size).toBe(12);
    const posted = [...c.discord.messages.values()].filter((m) => !m.ephemeral && !m.deleted);
    expect(posted).toHaveLength(12); // every job in its own message, nothing else posted
    // The fake records a call once it answered it: the last final's record may trail its message by a moment.
    await vi.waitFor(() => expect(jobs.every((job) => c.finals(job).length > 0)).toBe(true), 5_000);
    for (const job of jobs) expect(c.finals(job).length, job.prompt).toBe(1); // 0 duplicated finals
    expect(c.discord.rateLimited).toBe(0);
  }, 90_000);

  it('SIGTERM hands the leases over without waiting for them to expire', async () => {
    const c = await threeProcesses({ LEASE_MS: '9000' });
    const jobs = await Promise.all(
      [0, 1, 2, 3].map((i) => c.imagine(`handover ${i}`, GUILDS[1] ?? null, FIRST_WRITE_MS)),
    );
    await c.sim.waitForRequest(() => c.sim.created.length === 4);
    for (const job of jobs) c.sim.start(c.taskOf(job.prompt));
    const [a, victim, b] = c.procs as [BotProcess, BotProcess, BotProcess];
    await victim.waitForLog('job leases taken over', {}, 1, 1).catch(() => undefined);
    const stoppedAt = Date.now();
    victim.kill('SIGTERM');
    const handed = await victim.waitForLog('job leases handed over', {}, 1, 20_000);
    // It held the jobs it accepted (one may have gone to another process's scan at its acceptance).
    expect(Number(handed.released)).toBeGreaterThan(0);
    const takeover = await Promise.any(
      [a, b].map((p) => p.waitForLog('job leases taken over', {}, 1, 20_000)),
    );
    const ms = Number(takeover.time) - stoppedAt;
    console.log(`takeover after SIGTERM: ${ms} ms (leases would expire after 6000 ms)`);
    expect(ms).toBeLessThan(6_000);
    for (const job of jobs) c.sim.succeed(c.taskOf(job.prompt));
    await Promise.all(
      jobs.map((job) =>
        c.discord.waitForMessage((m) => m.id === job.msg.id && m.attachments.length === 1, {
          timeoutMs: 20_000,
        }),
      ),
    );
    expect((await victim.exited).code).toBe(0);
  }, 90_000);

  it('per-user concurrency and the quota hold when one user sends through two shards at once', async () => {
    const c = await threeProcesses({
      MAX_CONCURRENT_PER_USER: '1',
      MAX_QUEUED_PER_USER: '0',
      DAILY_QUOTA: '2',
    });
    const refusals = (text: string) =>
      [...c.discord.messages.values()].filter((m) => m.ephemeral && m.content.includes(text)).length;
    const send = (prompt: string, guildId: string | null) =>
      c.discord.command({
        name: 'imagine',
        user: alice,
        ...(guildId ? { guildId, channelId: channelOf(guildId) } : {}),
        options: [{ name: 'prompt', type: 3, value: prompt }],
      });
    // Three at once through shards 1, 2 and 0 (a DM): one runs, the two others are refused (none may wait).
    send('from shard 1', GUILDS[1] ?? null);
    send('from shard 2', GUILDS[2] ?? null);
    send('from a DM', null);
    await c.discord.waitForMessage(() => refusals('Too many of your jobs') === 2, { timeoutMs: 20_000 });
    await c.sim.waitForRequest(() => c.sim.created.length === 1);
    expect(c.sim.submits('imagine')).toHaveLength(1);
    c.sim.succeed(c.sim.created[0] as string);
    await c.discord.waitForMessage((m) => m.attachments.length === 1, { timeoutMs: 20_000 });
    // Quota 2, one used: of two more at once through two shards, one runs and one is refused by the quota.
    send('again from shard 2', GUILDS[2] ?? null);
    send('again from a DM', null);
    await c.discord.waitForMessage(() => refusals('daily quota') + refusals('Too many of your jobs') === 3, {
      timeoutMs: 20_000,
    });
    await c.sim.waitForRequest(() => c.sim.created.length === 2);
    expect(c.sim.submits('imagine')).toHaveLength(2);
  }, 90_000);
});
