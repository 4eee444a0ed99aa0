import { createClient } from 'redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import { cleanUp, GUILDS, threeProcesses } from './cluster.support.js';

afterEach(cleanUp);

const JOBS = 6;

/**
 * Moves the leases of `ids` to `taker`: the others are frozen (SIGSTOP) while the leases are dropped in Redis, so
 * `taker`'s next scan takes them; thawed before their own leases expire (a freeze ≤ LEASE_MS/4 < the lease's life).
 */
async function moveLeases(
  redis: ReturnType<typeof createClient>,
  ids: string[],
  taker: BotProcess,
  frozen: BotProcess[],
  takenBefore: number,
) {
  for (const p of frozen) process.kill(p.pid, 'SIGSTOP');
  try {
    await redis.del(ids);
    await taker.waitForLog('job leases taken over', {}, takenBefore + 1, 20_000);
  } finally {
    for (const p of frozen) process.kill(p.pid, 'SIGCONT');
  }
}

describe('three bot processes writing into one channel', () => {
  it('share its write budget: 0 × 429, every job final in its own message', async () => {
    // Leases of 16 s renewed every 4 s, scans every 6 s: a freeze until the taker's next scan (≤ 6 s, more on a
    // loaded machine) leaves a frozen process's leases at least 6 s to spare. With 8 s leases (LEASE_MS 12000) a
    // slow scan under the whole suite's load let a frozen process's leases expire, and the taker took those too.
    const c = await threeProcesses({ LEASE_MS: '24000' });
    const redis = createClient({ url: c.redis.url });
    await redis.connect();
    try {
      // One guild channel: every job arrives through its shard's process (shard 0), which owns them all.
      const jobs = await Promise.all(
        Array.from({ length: JOBS }, (_, i) => c.imagine(`one channel ${i}`, GUILDS[0] ?? null, 30_000)),
      );
      await c.sim.waitForRequest(() => c.sim.created.length === JOBS);
      for (const job of jobs) c.sim.start(c.taskOf(job.prompt));
      const [p0, p1, p2] = c.procs as [BotProcess, BotProcess, BotProcess];
      let leases: string[] = [];
      for (let i = 0; i < 100 && leases.length < JOBS; i++) {
        // Job leases only: `mj::lease:@reader` names the process reading tasks for all (sharedReads.ts).
        leases = (await redis.keys('mj::lease:*')).filter((k) => !k.endsWith(':@reader')).sort();
        if (leases.length < JOBS) await new Promise((r) => setTimeout(r, 100));
      }
      expect(leases).toHaveLength(JOBS);
      // A third of the jobs to process 1, a third to process 2; process 0 keeps the rest.
      const third = JOBS / 3;
      await moveLeases(redis, leases.slice(0, third), p1, [p0, p2], 0);
      await moveLeases(redis, leases.slice(third, 2 * third), p2, [p0, p1], 0);
      await p0.waitForLog('a job lease was lost; another process follows the job', {}, 2 * third, 20_000);
      const owners = await Promise.all(leases.map((k) => redis.get(k)));
      expect(new Set(owners).size).toBe(3);
      // Everything at once: progress, then every final, from three processes into one channel.
      for (const job of jobs) c.sim.progress(c.taskOf(job.prompt), 50);
      for (const job of jobs) c.sim.succeed(c.taskOf(job.prompt));
      await Promise.all(
        jobs.map((job) =>
          c.discord.waitForMessage((m) => m.id === job.msg.id && m.attachments.length === 1, {
            timeoutMs: 60_000,
          }),
        ),
      );
      // The fake records a call once it answered it: the last final's record may trail its message by a moment.
      await vi.waitFor(() => expect(jobs.every((job) => c.finals(job).length > 0)).toBe(true), 5_000);
      for (const job of jobs) expect(c.finals(job).length, job.prompt).toBe(1);
      const posted = [...c.discord.messages.values()].filter((m) => !m.ephemeral && !m.deleted);
      expect(posted).toHaveLength(JOBS);
      console.log(`writes into one channel: ${c.calls.length} calls, ${c.discord.rateLimited} × 429`);
      expect(c.discord.rateLimited).toBe(0);
    } finally {
      await redis.quit();
    }
  }, 150_000);
});
