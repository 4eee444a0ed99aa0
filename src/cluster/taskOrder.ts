import { createHash } from 'node:crypto';
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

/**
 * A task state as recorded once applied: `<rank>:<digest of what the bot keeps of it>`, so two states of one rank
 * (a new preview at the same progress) are told apart. Pure.
 */
export function taskMark(task: MjTask): string {
  const digest = createHash('sha1')
    .update(JSON.stringify(snapshotOf(task)))
    .digest('hex')
    .slice(0, 12);
  return `${taskRank(task)}:${digest}`;
}

/** The rank of a recorded mark (a bare rank, as recorded before marks, reads the same). */
export const rankOfMark = (mark: string): number => Number.parseInt(mark, 10);

/**
 * Whether a state read from the upstream (`mark`) was not applied yet, given the mark recorded for its job (null:
 * none applied): a higher rank, or the same rank with other content. A lower rank is older: never.
 */
export function unapplied(mark: string, recorded: string | null): boolean {
  if (recorded === null) return true;
  const [rank, known] = [rankOfMark(mark), rankOfMark(recorded)];
  return rank > known || (rank === known && mark !== recorded);
}

/** Records the mark when its rank is not below the one recorded; 1 when the state may be applied. */
const CHECK_AND_RAISE = `
local current = tonumber(string.match(redis.call('GET', KEYS[1]) or '-1', '^-?%d+'))
if tonumber(string.match(ARGV[1], '^%d+')) < current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const KEEP_MS = 2 * 24 * 3_600_000;
const markKey = (jobId: string) => `mj::task-rank:${jobId}`;

/**
 * The newest state of each job's task any process applied, in Redis: a state (a poll answer, a callback) older
 * than one already applied is dropped, atomically, whichever process holds it (a handover, a late callback).
 */
export function redisTaskOrder(redis: RedisCommands): (jobId: string, task: MjTask) => Promise<boolean> {
  return async (jobId, task) =>
    (await evalScript<number>(redis, CHECK_AND_RAISE, [markKey(jobId)], [taskMark(task), KEEP_MS])) === 1;
}

/** The marks recorded for `jobIds` (null: no state applied yet), in one read. */
export async function recordedMarks(
  redis: RedisCommands,
  jobIds: readonly string[],
): Promise<(string | null)[]> {
  if (jobIds.length === 0) return [];
  return redis.sendCommand<(string | null)[]>(['MGET', ...jobIds.map(markKey)]);
}
