import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isTransient, Redelivery } from '../../src/delivery/redelivery.js';
import { FakeClock } from '../support/fakeClock.js';
import { makeJob, silentLogger } from '../support/jobs.js';

const apiError = (status: number, code: number) =>
  new DiscordAPIError({ code, message: 'x' }, code, status, 'PATCH', '/x', {
    body: undefined,
    files: undefined,
  });

function setup() {
  const clock = new FakeClock();
  const resent: string[] = [];
  const redelivery = new Redelivery({
    clock,
    logger: silentLogger,
    resend: (id) => resent.push(id),
    baseMs: 1_000,
    maxMs: 4_000,
    maxAttempts: 3,
  });
  return { clock, resent, redelivery };
}

describe('Redelivery', () => {
  it('treats 5xx and network errors as transient, 4xx answers as final', () => {
    expect(isTransient(new Error('fetch failed'))).toBe(true);
    expect(isTransient(apiError(500, 0))).toBe(true);
    expect(isTransient(apiError(400, 50035))).toBe(false);
    expect(isTransient(apiError(404, 10008))).toBe(false);
  });

  it('tries a progress state 3 times in all, backing off, then leaves it', async () => {
    const { clock, resent, redelivery } = setup();
    const job = makeJob({ phase: 'tracking' });
    redelivery.failed(job, new Error('down'));
    await clock.advance(999);
    expect(resent).toEqual([]);
    await clock.advance(1);
    expect(resent).toEqual(['job1']);
    redelivery.failed(job, new Error('down'));
    await clock.advance(2_000);
    expect(resent).toEqual(['job1', 'job1']);
    redelivery.failed(job, new Error('down'));
    expect(redelivery.pending).toBe(0); // given up after the third failure
  });

  it('tries a final state until it lands, the wait capped; a success or stop() cancels the retry', async () => {
    const { clock, resent, redelivery } = setup();
    const job = makeJob({ phase: 'succeeded' });
    for (let i = 0; i < 6; i++) {
      redelivery.failed(job, new Error('down'));
      await clock.advance(4_000);
    }
    expect(resent).toHaveLength(6);
    redelivery.failed(job, new Error('down'));
    redelivery.succeeded(job.id);
    await clock.advance(4_000);
    expect(resent).toHaveLength(6);
    redelivery.failed(job, new Error('down'));
    redelivery.stop();
    await clock.advance(4_000);
    expect(resent).toHaveLength(6);
    redelivery.failed(job, new Error('down'));
    expect(redelivery.pending).toBe(0);
  });

  it('does not retry a write Discord refused for good', () => {
    const { redelivery } = setup();
    redelivery.failed(makeJob({ phase: 'succeeded' }), apiError(400, 50035));
    expect(redelivery.pending).toBe(0);
  });
});
