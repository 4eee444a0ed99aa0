import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisKey } from '../../src/jobs/redisBackend.js';
import { jobKey } from '../../src/jobs/storeKeys.js';
import { alice, customIdOf, finishTask, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';
import { type RedisServer, redisCommand, startRedis } from '../support/redis.js';

let redis: RedisServer;
let h: Harness | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await h?.close();
  h = undefined;
  await redis.flush();
});

describe('STORE_URL=redis://… (the store shared by several processes)', () => {
  it('imagine → finish → restart → the buttons of the finished job work, all state in Redis', async () => {
    h = await Harness.start({ env: { STORE_URL: redis.url } });
    const grid = await (await h.imagine('a red fox in the snow')).message();
    const task = await finishTask(h);
    expect(labelsOf(grid)).toEqual(GRID_LABELS);
    const job = await h.bot.ctx.store.byMessage(grid.id);
    expect(h.bot.ctx.store.redis).not.toBeNull();
    expect(await redisCommand(redis.port, `EXISTS ${redisKey(jobKey(job?.id ?? ''))}`)).toBe(':1');

    await h.restart();
    await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U1'), user: alice })
      .message();
    await h.submitted(2);
    expect(h.sim.submits('action')[0]?.body).toMatchObject({ taskId: task });
  });

  it('a button of a job whose record expired says plainly that it is too old, in the user’s language', async () => {
    h = await Harness.start({ env: { STORE_URL: redis.url, JOB_RETENTION_DAYS: '30' } });
    const grid = await (await h.imagine('a red fox in the snow')).message();
    await finishTask(h);
    const job = await h.bot.ctx.store.byMessage(grid.id);
    // What the TTL does after 30 days (the unit tests pin the TTL itself).
    expect(await redisCommand(redis.port, `DEL ${redisKey(jobKey(job?.id ?? ''))}`)).toBe(':1');

    const press = (user = alice) =>
      h?.discord.clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U1'), user }).response;
    expect((await press())?.data).toMatchObject({
      flags: 64,
      content: expect.stringContaining('This job is too old: finished jobs are kept for 30 days'),
    });
    expect((await press({ ...alice, locale: 'zh-CN' }))?.data.content).toContain('这个任务太旧了');
    expect(h.sim.submits('action')).toHaveLength(0);
  });
});
