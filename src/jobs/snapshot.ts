import type { MjTask, Mode } from '../upstream/types.js';
import type { TaskSnapshot } from './types.js';

function parsePercent(progress: string | null): number | null {
  const match = progress ? /(\d{1,3})\s*%/.exec(progress) : null;
  return match ? Math.min(100, Number(match[1])) : null;
}

function parseMode(task: MjTask): Mode | null {
  const raw = (task.mode ?? '').toString().toLowerCase();
  if (raw === 'fast' || raw === 'relax' || raw === 'turbo') return raw;
  const prompt = typeof task.properties.finalPrompt === 'string' ? task.properties.finalPrompt : '';
  const flag = /--(fast|relax|turbo)\b/.exec(prompt);
  return flag ? (flag[1] as Mode) : null;
}

/** Statuses of a task still waiting in the upstream's own queue (not yet sent to Midjourney). */
const WAITING_UPSTREAM = new Set(['', 'NOT_START']);
/** The queue text of a code 22 answer ("排队中，前面还有2个任务"), which some proxies keep as the task's description. */
const AHEAD = /前面还有\s*(\d{1,6})\s*个任务/;

/**
 * How many tasks are ahead of a waiting task in the upstream's queue, when the read says so: a proxy that keeps
 * `properties.numberOfQueues` current, or the queue text as the description; null otherwise (the submit's answer,
 * code 22, is the one place every proxy gives it).
 */
function queuePositionOf(task: MjTask): number | null {
  if (!WAITING_UPSTREAM.has(task.status ?? '')) return null;
  const n = task.properties.numberOfQueues;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  const match = AHEAD.exec(task.description ?? '');
  return match ? Number(match[1]) : null;
}

/** The part of an upstream task that the bot keeps with a job. */
export function snapshotOf(task: MjTask): TaskSnapshot {
  const finalPrompt = task.properties.finalPrompt;
  return {
    status: task.status ?? '',
    progress: parsePercent(task.progress),
    imageUrl: task.imageUrl || null,
    buttons: task.buttons ?? [],
    failReason: task.failReason || null,
    finalPrompt: typeof finalPrompt === 'string' && finalPrompt !== '' ? finalPrompt : null,
    promptEn: task.promptEn || null,
    description: task.description || null,
    action: task.action || null,
    mode: parseMode(task),
    finishTime: task.finishTime ?? null,
    queuePosition: queuePositionOf(task),
  };
}

/** True when the two snapshots would render differently. */
export function snapshotChanged(before: TaskSnapshot | null, after: TaskSnapshot): boolean {
  if (!before) return true;
  return (
    before.status !== after.status ||
    before.progress !== after.progress ||
    before.imageUrl !== after.imageUrl ||
    before.failReason !== after.failReason ||
    (before.queuePosition ?? null) !== (after.queuePosition ?? null) ||
    before.buttons.length !== after.buttons.length
  );
}
