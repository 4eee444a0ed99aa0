import { afterEach, describe, expect, it } from 'vitest';
import { MjSimulator, type SimOptions } from '../../emulators/midjourney/index.js';
import { FakeClock } from '../support/fakeClock.js';
import { clientFor, expectMjError, InstantClock, memoryLogger } from './helpers.js';

let sim: MjSimulator;
async function boot(opts?: SimOptions): Promise<MjSimulator> {
  sim = await MjSimulator.start(opts);
  return sim;
}
afterEach(async () => {
  await sim.close();
});

const reads = (endpoint: string) => sim.requests.filter((r) => r.endpoint === endpoint);

describe('MjClient.fetch', () => {
  it('reads and normalises a task through its lifecycle', async () => {
    await boot();
    const client = clientFor(sim);
    const { taskId } = await client.imagine({ prompt: 'a cat' });
    const fresh = await client.fetch(taskId);
    expect(fresh).toMatchObject({
      id: taskId,
      action: 'IMAGINE',
      status: 'NOT_START',
      progress: null,
      buttons: [],
    });
    expect(reads('task/fetch')[0]?.path).toBe(`/mj-fast/mj/task/${taskId}/fetch`);
    sim.start(taskId);
    sim.progress(taskId, 45);
    const running = await client.fetch(taskId);
    expect(running).toMatchObject({ status: 'IN_PROGRESS', progress: '45%' });
    expect(running?.imageUrl).toBe(`${sim.baseUrl}/img/${taskId}/preview-45.png`);
    sim.succeed(taskId);
    const done = await client.fetch(taskId);
    expect(done?.status).toBe('SUCCESS');
    expect(done?.buttons.map((b) => b.label)).toEqual(['U1', 'U2', 'U3', 'U4', '', 'V1', 'V2', 'V3', 'V4']);
    expect(done?.properties.finalPrompt).toBe('a cat');
    expect(done?.mode).toBe('FAST');
  });

  it('503 twice then OK → succeeds, sleeping with growing delays', async () => {
    await boot();
    const clock = new InstantClock();
    const logger = memoryLogger();
    const client = clientFor(sim, { clock, logger, random: () => 0.5 });
    const { taskId } = await client.imagine({ prompt: 'x' });
    sim.fault(
      { endpoint: 'task/fetch' },
      { http: 503, body: 'Service Unavailable', contentType: 'text/plain' },
      2,
    );
    expect((await client.fetch(taskId))?.id).toBe(taskId);
    expect(reads('task/fetch')).toHaveLength(3);
    expect(clock.delays).toEqual([250, 500]);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('malformed JSON → retried readRetries times, then unavailable', async () => {
    await boot();
    const clock = new InstantClock();
    const body = '{"id":"1","status":';
    sim.fault({ endpoint: 'task/fetch' }, { http: 200, body, contentType: 'application/json' }, 10);
    const err = await expectMjError(clientFor(sim, { clock }).fetch('1'), 'unavailable');
    expect(err.httpStatus).toBe(200);
    expect(reads('task/fetch')).toHaveLength(4);
    expect(clock.delays).toEqual([500, 1000, 2000]);
  });

  it('a read that never answers → timeout on the injected clock (retried)', async () => {
    await boot();
    sim.fault({ endpoint: 'task/fetch' }, { hang: true }, 2);
    const clock = new FakeClock();
    const opts = { clock, readTimeoutMs: 100, readRetries: 1, random: () => 0.5 }; // backoff 250 ms
    const failed = expectMjError(clientFor(sim, opts).fetch('1'), 'timeout');
    await sim.waitForRequest((r) => r.endpoint === 'task/fetch');
    await clock.advance(99);
    expect(clock.pending).toBe(1); // the request's timer, not yet due
    await clock.advance(1); // the first attempt times out; the client backs off on the clock
    await clock.armed(250);
    await clock.advance(250);
    await sim.waitForRequest(() => reads('task/fetch').length === 2);
    await clock.advance(100);
    const err = await failed;
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('100 ms');
    expect(reads('task/fetch')).toHaveLength(2);
  });

  it('auth and rejected errors are not retried', async () => {
    await boot();
    await expectMjError(clientFor(sim, { apiKey: 'wrong' }).fetch('1'), 'auth');
    sim.fault({ endpoint: 'task/fetch' }, { code: 4, description: 'taskId不能为空', httpStatus: 400 });
    await expectMjError(clientFor(sim).fetch('1'), 'rejected');
    expect(reads('task/fetch')).toHaveLength(2);
  });

  it.each([204, 200, 404] as const)(
    'unknown task (plain proxy answering %i) → null, no retry',
    async (status) => {
      await boot();
      sim.unknownTaskAnswer = status;
      expect(await clientFor(sim).fetch('1747972390541812')).toBeNull();
      expect(reads('task/fetch')).toHaveLength(1);
    },
  );

  it('unknown or forgotten task through the aggregator (400 task_no_found) → null', async () => {
    await boot({ aggregator: true });
    const client = clientFor(sim);
    const { taskId } = await client.imagine({ prompt: 'x' });
    expect((await client.fetch(taskId))?.status).toBe('');
    sim.forget(taskId);
    expect(await client.fetch(taskId)).toBeNull();
    expect(reads('task/fetch')).toHaveLength(2);
  });
});

describe('MjClient.fetchMany', () => {
  it('returns the known tasks; unknown ids are absent', async () => {
    await boot();
    const client = clientFor(sim);
    const a = await client.imagine({ prompt: 'a' });
    const b = await client.imagine({ prompt: 'b' });
    const tasks = await client.fetchMany([a.taskId, 'nope', b.taskId, a.taskId]);
    expect(tasks.map((t) => t.id).sort()).toEqual([a.taskId, b.taskId].sort());
    expect(reads('task/list-by-condition')[0]?.body).toEqual({ ids: [a.taskId, 'nope', b.taskId] });
    expect(await client.fetchMany([])).toEqual([]);
    expect(reads('task/list-by-condition')).toHaveLength(1);
  });

  it('skips malformed entries with a warning', async () => {
    await boot();
    const logger = memoryLogger();
    const body = JSON.stringify([
      { id: '1', status: 'SUCCESS', progress: '100%' },
      42,
      null,
      { status: 'x' },
    ]);
    sim.fault({ endpoint: 'task/list-by-condition' }, { http: 200, body, contentType: 'application/json' });
    const tasks = await clientFor(sim, { logger }).fetchMany(['1', '2']);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ id: '1', buttons: [], properties: {}, prompt: null });
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(3);
  });

  it('a missing endpoint → unsupported, not retried', async () => {
    await boot({ listByCondition: false });
    const err = await expectMjError(clientFor(sim).fetchMany(['1']), 'unsupported');
    expect(err.httpStatus).toBe(404);
    expect(reads('task/list-by-condition')).toHaveLength(1);
  });
});

describe('MjClient.imageSeed', () => {
  it('returns the seed of a finished task; rejected before; not_found when unknown', async () => {
    await boot();
    const client = clientFor(sim);
    const { taskId } = await client.imagine({ prompt: 'x' });
    const early = await expectMjError(client.imageSeed(taskId), 'rejected');
    expect(early).toMatchObject({ code: 4, httpStatus: 400 });
    sim.complete(taskId);
    expect(await client.imageSeed(taskId)).toMatch(/^\d+$/);
    await expectMjError(client.imageSeed('123'), 'not_found');
    expect(reads('task/image-seed')[0]?.path).toBe(`/mj-fast/mj/task/${taskId}/image-seed`);
  });

  it('404 without a code-3 body → unsupported', async () => {
    await boot({ imageSeed: false });
    await expectMjError(clientFor(sim).imageSeed('1'), 'unsupported');
  });

  it('aggregator: unknown task → not_found', async () => {
    await boot({ aggregator: true });
    await expectMjError(clientFor(sim).imageSeed('1'), 'not_found');
  });
});
