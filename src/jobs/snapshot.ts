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
    before.buttons.length !== after.buttons.length
  );
}
