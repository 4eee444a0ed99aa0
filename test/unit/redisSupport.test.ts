import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, redisCommand, startRedis } from '../support/redis.js';

describe('test/support/redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('starts a redis-server on loopback that answers PING, flushes and stops', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redisCommand(redis.port, 'PING')).toBe('+PONG');
    expect(await redisCommand(redis.port, 'SET k v')).toBe('+OK');
    await redis.flush();
    expect(await redisCommand(redis.port, 'DBSIZE')).toBe(':0');
    expect(await redisCommand(redis.port, 'CONFIG GET save')).toMatch(/^\*2/);
    await redis.stop();
    await expect(redisCommand(redis.port, 'PING')).rejects.toThrow();
  });
});
