/** Keys of the job store, the same on every backend (keyv adds its namespace: `mj:` on SQLite, `mj::` on Redis). */
export const NAMESPACE = 'mj';
/** Every job that is not final. A JSON list on SQLite, a Redis set on Redis. */
export const ACTIVE = 'active';
/** Final jobs whose final state has not reached Discord yet (shown again after a restart). */
export const UNSHOWN = 'unshown';
export type IndexName = typeof ACTIVE | typeof UNSHOWN;
/**
 * Redis only: what the limits need of each active job (`ActiveJob`: phase, owner, server, age) by job id, kept
 * in step with `active` by the write script, so admission does not read every whole record.
 */
export const ACTIVE_VIEW = 'active:view';
/** Redis only: counts over the active view (`u:<user>`, `g:<server>`: running jobs; `q`: waiting jobs). */
export const ACTIVE_COUNTS = 'active:counts';
/**
 * Redis only: the task id of each job in `tracking` (waiting on its upstream task) by job id, kept by the write
 * script, so the process that reads every task for the others (src/cluster/sharedReads.ts) reads no record.
 */
export const TRACKING = 'tracking';
export const PROBE = 'probe';
export const jobKey = (id: string) => `job:${id}`;
/** SQLite: one row per member of an index (`active#<jobId>`), so joining or leaving it writes one small row. */
export const memberKey = (index: IndexName, id: string) => `${index}#${id}`;
export const msgKey = (messageId: string) => `msg:${messageId}`;
export const taskKey = (taskId: string) => `task:${taskId}`;
/** Job records of finished jobs are kept this long by default (`JOB_RETENTION_DAYS`). */
export const DEFAULT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
