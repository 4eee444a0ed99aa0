import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import { cleanUp, GUILDS, threeProcesses } from './cluster.support.js';

afterEach(cleanUp);

describe('a process restarting while another submits', () => {
  it('leaves the job to its submitter: submitted once, finished in its own message, shown once', async () => {
    const c = await threeProcesses();
    let answer: () => void = () => undefined;
    c.sim.fault(
      { endpoint: 'submit/imagine' },
      { until: new Promise<void>((resolve) => (answer = resolve)) },
    );
    // Shard 1's process takes the command and is now waiting on the upstream's answer to its submit.
    const job = await c.imagine('submitted while another process restarts', GUILDS[1] ?? null);
    await c.sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    // Shard 2's process stops and starts again: its start resumes every active job of the cluster.
    const old = c.procs[2] as BotProcess;
    old.kill('SIGTERM');
    expect((await old.exited).code).toBe(0);
    const fresh = await c.restart(2);
    const resumed = await fresh.waitForLog('resumed active jobs');
    expect(resumed.abandoned).toBe(0);
    // Its lease scans (every LEASE_MS / 4) find the job held by its submitter, and leave it alone.
    const scanned = await fresh.waitForLog('job leases scanned', { others: 1 }, 2, 10_000);
    expect(scanned).toMatchObject({ free: 0, taken: 0 });
    answer();
    await c.sim.waitForRequest(() => c.sim.created.length === 1);
    c.sim.succeed(c.taskOf(job.prompt));
    const final = await c.discord.waitForMessage((m) => m.id === job.msg.id && m.attachments.length === 1, {
      timeoutMs: 20_000,
    });
    expect(final.content).toContain('submitted while another process restarts');
    expect(c.sim.submits('imagine')).toHaveLength(1);
    // The fake records a call once it answered it: the final's record may trail its message by a moment.
    await vi.waitFor(() => expect(c.finals(job).length).toBeGreaterThan(0), 5_000);
    expect(c.finals(job)).toHaveLength(1);
    const ended = c.procs.flatMap((p) =>
      p.lines.filter((l) => l.msg === 'jobs whose submitter died ended as unknown outcome'),
    );
    expect(ended).toEqual([]);
    expect(c.discord.rateLimited).toBe(0);
  }, 90_000);
});
