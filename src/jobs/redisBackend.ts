import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { createClient } from 'redis';
import { type ActiveCounts, type ActiveJob, activeViewOf, RUNNING_PHASES } from './limits.js';
import { migrateJob } from './migrate.js';
import type { RedisClient, StoreBackend } from './storeBackend.js';
import { redactUrl, redisStoreErrorOf } from './storeError.js';
import {
  ACTIVE,
  ACTIVE_COUNTS,
  ACTIVE_VIEW,
  type IndexName,
  jobKey,
  msgKey,
  NAMESPACE,
  PROBE,
  TRACKING,
  taskKey,
  UNSHOWN,
} from './storeKeys.js';
import { FINAL_PHASES, type Job } from './types.js';

/** keyv's Redis adapter writes `mj::<key>`; the indexes are Redis sets under the same prefix. */
export const redisKey = (key: string) => `${NAMESPACE}::${key}`;

/**
 * A job record and everything that depends on it, in one step: the record (checked against the one read, unless
 * ARGV[1] is `*`), the active and unshown sets, the active view and its counts (running jobs per user and per
 * server, waiting jobs), the tracked tasks, the message and task pointers; all expire together once final.
 */
/** The limits' running phases (`RUNNING_PHASES`), as the write script tests them. */
const RUNNING_LUA = [...RUNNING_PHASES].map((phase) => `e.phase == '${phase}'`).join(' or ');

const WRITE_JOB = `
if ARGV[1] ~= '*' then
  local cur = redis.call('GET', KEYS[1])
  if cur == false then cur = '' end
  if cur ~= ARGV[1] then return 0 end
end
local ttl = tonumber(ARGV[3])
local function put(key, value)
  if ttl > 0 then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
end
put(KEYS[1], ARGV[2])
local function count(entry, by)
  local e = cjson.decode(entry)
  if ${RUNNING_LUA} then
    redis.call('HINCRBY', KEYS[7], 'u:' .. e.ownerId, by)
    local g = e.message.guildId
    if type(g) == 'string' then redis.call('HINCRBY', KEYS[7], 'g:' .. g, by) end
  elseif e.phase == 'queued' then
    redis.call('HINCRBY', KEYS[7], 'q', by)
  end
end
local before = redis.call('HGET', KEYS[6], ARGV[4])
if before then count(before, -1) end
if ARGV[5] == '1' then
  redis.call('SADD', KEYS[2], ARGV[4])
  redis.call('HSET', KEYS[6], ARGV[4], ARGV[9])
  count(ARGV[9], 1)
else
  redis.call('SREM', KEYS[2], ARGV[4])
  redis.call('HDEL', KEYS[6], ARGV[4])
end
if ARGV[6] == '1' then redis.call('SADD', KEYS[3], ARGV[4]) else redis.call('SREM', KEYS[3], ARGV[4]) end
if ARGV[10] ~= '' then redis.call('HSET', KEYS[8], ARGV[4], ARGV[10]) else redis.call('HDEL', KEYS[8], ARGV[4]) end
if ARGV[7] ~= '' then put(KEYS[4], ARGV[7]) end
if ARGV[8] ~= '' then put(KEYS[5], ARGV[8]) end
return 1`;

/** The counts the write script keeps, and whether every active job is in the view (else they are not whole). */
const READ_COUNTS = `
local c = redis.call('HMGET', KEYS[1], ARGV[1], ARGV[2], 'q')
local complete = redis.call('HLEN', KEYS[2]) == redis.call('SCARD', KEYS[3])
return {c[1] or '0', c[2] or '0', c[3] or '0', complete and 1 or 0}`;

const CONFLICT_RETRIES = 20;
const CONNECT_TIMEOUT_MS = 5_000;

/** A node-redis client for `url`, not yet connected: no offline queue, reconnecting with a capped backoff. */
export function redisClientOf(url: string): RedisClient {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
}

/**
 * Connects, or rejects with the first connection error (or a timeout) instead of retrying forever: a wrong
 * STORE_URL must stop the bot at start.
 */
export async function connectWithin(redis: RedisClient, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((err: unknown) => void) | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        onError = reject;
        redis.once('error', onError);
        timer = setTimeout(
          () => reject(new Error(`no answer within ${timeoutMs} ms (connect timeout)`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    redis.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
    if (onError) redis.off('error', onError);
  }
}

/**
 * The store on Redis, shared by every process: records through keyv's Redis adapter, the indexes as Redis sets
 * changed atomically with the record (a Lua script), finished jobs expiring after the retention time (TTLs).
 */
export class RedisBackend implements StoreBackend {
  readonly shared = true;
  private sha: string | null = null;

  constructor(
    readonly keyv: Keyv,
    readonly redis: RedisClient,
    readonly where: string,
    private readonly retentionMs: number,
  ) {}

  /**
   * A store on the Redis at `url`; it connects in `probe()` (at start). Commands fail at once while Redis is
   * unreachable (no offline queue), so a user is told instead of waiting; the client reconnects on its own.
   */
  static open(url: string, o: { onError: (err: unknown) => void; retentionMs: number }): RedisBackend {
    const redis = redisClientOf(url);
    redis.on('error', (err: unknown) => {
      if (redis.isReady) o.onError(err); // errors while connecting are thrown by probe()
    });
    const adapter = new KeyvRedis(redis, { namespace: NAMESPACE, throwOnErrors: true });
    const keyv = new Keyv({ store: adapter, namespace: NAMESPACE, useKeyPrefix: false, throwOnErrors: true });
    keyv.on('error', o.onError);
    return new RedisBackend(keyv, redis, redactUrl(url), o.retentionMs);
  }

  /**
   * Connects (within 5 s), then one read, one write, and the write script loaded.
   * @throws StoreError naming STORE_URL when Redis cannot be reached or refuses the bot.
   */
  async probe(): Promise<void> {
    try {
      if (!this.redis.isOpen) await connectWithin(this.redis, CONNECT_TIMEOUT_MS);
      await this.redis.sCard(redisKey(ACTIVE));
      await this.keyv.set(PROBE, { at: Date.now() });
      this.sha = await this.redis.scriptLoad(WRITE_JOB);
    } catch (err) {
      throw redisStoreErrorOf(err, this.where);
    }
  }

  members(index: IndexName): Promise<string[]> {
    return this.redis.sMembers(redisKey(index));
  }

  /** Running jobs of a user and of a server, and waiting jobs, as the write script counts them (one read). */
  async activeCounts(userId: string, guildId: string | null): Promise<ActiveCounts> {
    const [user, guild, queued, complete] = (await this.redis.eval(READ_COUNTS, {
      keys: [redisKey(ACTIVE_COUNTS), redisKey(ACTIVE_VIEW), redisKey(ACTIVE)],
      arguments: [`u:${userId}`, `g:${guildId ?? ''}`],
    })) as [string, string, string, number];
    return {
      user: Number(user),
      guild: guildId ? Number(guild) : 0,
      queued: Number(queued),
      complete: complete === 1,
    };
  }

  /**
   * What the limits need of every active job, from the active view (one HGETALL of small entries). Jobs a
   * version without the view saved (not in it yet) are read whole, until their next save adds them.
   */
  async activeView(): Promise<ActiveJob[]> {
    const [count, entries] = await Promise.all([
      this.redis.sCard(redisKey(ACTIVE)),
      this.redis.hGetAll(redisKey(ACTIVE_VIEW)),
    ]);
    const view = Object.values(entries).map((raw) => JSON.parse(raw) as ActiveJob);
    if (view.length >= count) return view;
    const known = new Set(Object.keys(entries));
    const missing = (await this.members(ACTIVE)).filter((id) => !known.has(id));
    for (const job of await this.records(missing)) view.push(activeViewOf(job));
    return view;
  }

  /**
   * The task id of every job in `tracking`, by job id (one HGETALL). With `older`, also the tracking jobs a
   * version without this index saved (found in the active view, read whole), until their next save adds them.
   */
  async trackingTasks(older = false): Promise<Map<string, string>> {
    const tasks = new Map(Object.entries(await this.redis.hGetAll(redisKey(TRACKING))));
    if (!older) return tasks;
    const missing = Object.entries(await this.redis.hGetAll(redisKey(ACTIVE_VIEW)))
      .filter(([id, raw]) => !tasks.has(id) && (JSON.parse(raw) as ActiveJob).phase === 'tracking')
      .map(([id]) => id);
    for (const job of await this.records(missing)) {
      if (job.phase === 'tracking' && job.taskId) tasks.set(job.id, job.taskId);
    }
    return tasks;
  }

  /** The records of `ids` that exist (one MGET), read past keyv's envelope. */
  private async records(ids: string[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mGet(ids.map((id) => redisKey(jobKey(id))));
    return raws.flatMap((raw) => {
      const job = raw === null ? null : this.recordOf(raw);
      return job ? [job] : [];
    });
  }

  private recordOf(raw: string): Job | null {
    const stored = this.keyv.deserialize?.(raw) as { value?: unknown } | undefined;
    return stored?.value === undefined ? null : migrateJob(stored.value);
  }

  async save(job: Job): Promise<void> {
    await this.write(job, '*');
  }

  async update(id: string, change: (job: Job) => Job | null): Promise<Job | null> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const raw = await this.redis.get(redisKey(jobKey(id)));
      if (raw === null) return null;
      const before = this.recordOf(raw);
      const next = before ? change(before) : null;
      if (!next) return null;
      if (await this.write(next, raw)) return next;
    }
    throw new Error(`job ${id} kept changing under ${CONFLICT_RETRIES} attempts to update it`);
  }

  /** Runs the write script; false when the record is no longer `expected` (another process changed it). */
  private async write(job: Job, expected: string): Promise<boolean> {
    const final = FINAL_PHASES.has(job.phase);
    const ttl = final ? this.retentionMs : 0;
    const expires = final ? Date.now() + ttl : null;
    const encode = (value: unknown) => JSON.stringify({ value, expires });
    const messageId = job.message.messageId;
    const keys = [
      redisKey(jobKey(job.id)),
      redisKey(ACTIVE),
      redisKey(UNSHOWN),
      redisKey(msgKey(messageId ?? '')),
      redisKey(taskKey(job.taskId ?? '')),
      redisKey(ACTIVE_VIEW),
      redisKey(ACTIVE_COUNTS),
      redisKey(TRACKING),
    ];
    const args = [
      expected,
      encode(job),
      String(ttl),
      job.id,
      final ? '0' : '1',
      final && !job.message.finalShown && !job.message.gone ? '1' : '0',
      messageId ? encode(job.id) : '',
      job.taskId ? encode(job.id) : '',
      JSON.stringify(activeViewOf(job)),
      job.phase === 'tracking' && job.taskId ? job.taskId : '',
    ];
    const sha = this.sha ?? (await this.redis.scriptLoad(WRITE_JOB));
    this.sha = sha;
    let done: unknown;
    try {
      done = await this.redis.evalSha(sha, { keys, arguments: args });
    } catch (err) {
      if (!String((err as Error)?.message).includes('NOSCRIPT')) throw err;
      done = await this.redis.eval(WRITE_JOB, { keys, arguments: args });
    }
    return done === 1;
  }

  /** Redis removes finished jobs itself (each record and its pointers carry the retention time as a TTL). */
  async prune(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close();
  }
}
