import type { Clock } from '../util/clock.js';
import { evalScript, type RedisCommands } from './redis.js';

/** Deletes the lock only while it is still ours (it may have expired and been taken by another). */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface AdmissionLockOptions {
  redis: RedisCommands;
  clock: Clock;
  /** This process's name (with a counter it makes each hold's token unique). */
  owner: string;
  key?: string;
  /** Longest a decision may hold the lock before another process may take it (default 10 s). */
  ttlMs?: number;
  /** Wait between two attempts while another process decides (default 5 ms). */
  retryMs?: number;
}

/**
 * Admission across processes: the local queue's decisions (per-user and per-server concurrency, the daily quota,
 * the queue's caps, releasing a waiting job) run one at a time across every process, under one lock in Redis
 * (`SET NX PX`, released by a compare-and-delete script). A request sent through two shards at once is decided
 * after the other one's job is counted, and a waiting job is released by one pass of one process only.
 */
export function admissionLock(o: AdmissionLockOptions): <T>(work: () => Promise<T>) => Promise<T> {
  const key = o.key ?? 'mj::admit:lock';
  const ttl = String(o.ttlMs ?? 10_000);
  let seq = 0;
  return async (work) => {
    const token = `${o.owner}:${++seq}`;
    while ((await o.redis.sendCommand(['SET', key, token, 'PX', ttl, 'NX'])) === null) {
      await o.clock.sleep(o.retryMs ?? 5);
    }
    try {
      return await work();
    } finally {
      await evalScript(o.redis, UNLOCK, [key], [token]);
    }
  };
}
