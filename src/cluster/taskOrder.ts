import { snapshotOf } from '../jobs/snapshot.js';
import type { MjTask } from '../upstream/types.js';
import { evalScript, type RedisCommands } from './redis.js';

/** How far a task has come by its status; a task never goes back down this order. */
const STATUS_ORDER: Record<string, number> = {
  '': 0,
  NOT_START: 0,
  SUBMITTED: 1,
  IN_PROGRESS: 2,
  MODAL: 2,
  SUCCESS: 3,
  FAILURE: 3,
  CANCEL: 3,
};

/** A task's place in its life: status order, then progress (0–100). Pure. */
export function taskRank(task: MjTask): number {
  const s = snapshotOf(task);
  return (STATUS_ORDER[s.status] ?? 2) * 1000 + (s.progress ?? 0);
}

/** Sets the rank when it is not below the one recorded; 1 when the state may be applied. */
const CHECK_AND_RAISE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) < current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const KEEP_MS = 2 * 24 * 3_600_000;

/**
 * The highest state of each job's task any process applied, in Redis: a state (a poll answer, a callback) older
 * than one already applied is dropped, atomically, whichever process holds it (a handover, a late callback).
 */
export function redisTaskOrder(redis: RedisCommands): (jobId: string, task: MjTask) => Promise<boolean> {
  return async (jobId, task) =>
    (await evalScript<number>(
      redis,
      CHECK_AND_RAISE,
      [`mj::task-rank:${jobId}`],
      [taskRank(task), KEEP_MS],
    )) === 1;
}
