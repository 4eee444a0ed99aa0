import type { MjTask } from '../upstream/types.js';
import { snapshotChanged, snapshotOf } from './snapshot.js';
import type { Job, JobFailure, JobPhase, TaskSnapshot } from './types.js';

/** The phase a task's status puts its job in. */
export function phaseOf(status: string): JobPhase {
  switch (status) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILURE':
    case 'CANCEL':
      return 'failed';
    case 'MODAL':
      return 'modal';
    default:
      return 'tracking';
  }
}

/**
 * Folds an upstream task into its job. Returns the new job, or null when nothing a user would see changed.
 * A final job never moves again (a late or out-of-order callback cannot undo a result).
 */
export function applyTask(job: Job, task: MjTask, now: number): Job | null {
  if (job.phase === 'succeeded' || job.phase === 'failed') return null;
  const snapshot = carryQueuePosition(job, snapshotOf(task));
  const phase = phaseOf(snapshot.status);
  if (!snapshotChanged(job.task, snapshot) && phase === job.phase) return null;
  if (job.task && phase === 'tracking' && regressed(job, snapshot.progress)) return null;
  const failure: JobFailure | null =
    phase === 'failed' ? { kind: 'upstream_failure', detail: snapshot.failReason ?? undefined } : null;
  return { ...job, task: snapshot, phase, failure, updatedAt: now, lastProgressAt: now };
}

/**
 * A read that does not say where a still-waiting task stands in the upstream's queue keeps the last position
 * known (from the submit's answer, code 22); once the task left that queue, there is none.
 */
function carryQueuePosition(job: Job, snapshot: TaskSnapshot): TaskSnapshot {
  const known = job.task?.queuePosition ?? null;
  const waiting = snapshot.status === '' || snapshot.status === 'NOT_START';
  return waiting && snapshot.queuePosition === null && known !== null
    ? { ...snapshot, queuePosition: known }
    : snapshot;
}

function regressed(job: Job, progress: number | null): boolean {
  const before = job.task?.progress ?? null;
  return before !== null && progress !== null && progress < before;
}

/** Ends a job with a failure of the bot's own reckoning (deadline, vanished task, refused submit…). */
export function failJob(job: Job, failure: JobFailure, now: number): Job {
  return { ...job, phase: 'failed', failure, updatedAt: now };
}
