import type { SharedBudget } from '../delivery/budget.js';
import { evalScript, type RedisCommands } from './redis.js';

/**
 * One sliding log per channel and one for the bot, as sorted sets scored by Redis's own clock (one clock for
 * every process). Takes a write when both have room (the bot's log only for writes sent with the bot token:
 * ARGV[3] is -1 for one through an interaction's token); else answers how long until the oldest entry that blocks
 * leaves its window.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n < limit then return 0 end
  local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
local bot = tonumber(ARGV[3]) >= 0
local w = wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
if bot then w = math.max(w, wait(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))) end
if w > 0 then return w end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2] * 2)
if bot then
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[4] * 2)
end
return 0`;

/** The write was answered: it counts from now, in both logs (when still there). */
const SETTLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[1])
return 0`;

export interface RedisBudgetOptions {
  redis: RedisCommands;
  /** This process's name (with a counter it makes each write's token unique). */
  owner: string;
  channelWindowMs: number;
  globalWindowMs: number;
  onError?: (err: unknown) => void;
}

/** The per-channel write budget and the bot-wide one, shared by every process through Redis. */
export class RedisBudget implements SharedBudget {
  private seq = 0;

  constructor(private readonly o: RedisBudgetOptions) {}

  async reserve(channelId: string, usable: { channel: number; global: number | null }) {
    const token = `${this.o.owner}:${++this.seq}`;
    const wait = await evalScript<number>(
      this.o.redis,
      RESERVE,
      [channelKey(channelId), GLOBAL_KEY],
      [usable.channel, this.o.channelWindowMs, usable.global ?? -1, this.o.globalWindowMs, token],
    );
    return wait > 0 ? { wait: Number(wait) } : { wait: 0, token };
  }

  settle(channelId: string, token: string): void {
    evalScript(this.o.redis, SETTLE, [channelKey(channelId), GLOBAL_KEY], [token]).catch((err: unknown) =>
      this.o.onError?.(err),
    );
  }
}

const GLOBAL_KEY = 'mj::budget:*';
const channelKey = (channelId: string) => `mj::budget:ch:${channelId}`;
