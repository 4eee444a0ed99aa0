import { LIMITS } from '../constants.js';
import { type MessageKey, t } from '../i18n/index.js';
import type { Job } from '../jobs/types.js';
import { inlinePrompt, truncate } from './text.js';

const WAITING_STATUSES = new Set(['', 'NOT_START']);

const CHILD_KEYS: ReadonlyArray<[RegExp, MessageKey]> = [
  [/^V\d$/, 'child.variationsStrong'],
  [/^Vary \(Strong\)$/i, 'child.variationsStrong'],
  [/^Vary \(Subtle\)$/i, 'child.variationsSubtle'],
  [/^Vary \(Region\)$/i, 'child.variationsRegion'],
  [/^Upscale \(Subtle\)$/i, 'child.upscaledSubtle'],
  [/^Upscale \(Creative\)$/i, 'child.upscaledCreative'],
  [/^Upscale \(2x\)$/i, 'child.upscaled2x'],
  [/^Upscale \(4x\)$/i, 'child.upscaled4x'],
  [/^(Zoom Out|Custom Zoom)/i, 'child.zoomOut'],
  [/^Make Square$/i, 'child.makeSquare'],
  [/^(Pan Left|⬅️)$/i, 'child.panLeft'],
  [/^(Pan Right|➡️)$/i, 'child.panRight'],
  [/^(Pan Up|⬆️)$/i, 'child.panUp'],
  [/^(Pan Down|⬇️)$/i, 'child.panDown'],
  [/^(Animate|Extend) /i, 'child.animate'],
];
/** Labels whose child job reads like a fresh imagine (reroll, describe/shorten picks). */
const PLAIN_CHILD = /^(|reroll|🔄|\d+|.\uFE0F?\u20E3|imagine all)$/i;

/** The "who" part: `<@owner>`, or the child heading ("Image #2 <@owner>", "Variations (Strong) by <@owner>"). */
export function who(job: Job): { text: string; upscale: boolean } {
  const user = `<@${job.ownerId}>`;
  const label = (job.kind === 'action' || job.kind === 'modal' ? job.actionLabel : null)?.trim();
  if (label === undefined || PLAIN_CHILD.test(label)) return { text: user, upscale: false };
  const u = /^U(\d)$/.exec(label);
  if (u) return { text: t(job.locale, 'child.image', { n: u[1] ?? '', user }), upscale: true };
  const key = CHILD_KEYS.find(([re]) => re.test(label))?.[1];
  const text = key ? t(job.locale, key, { user }) : t(job.locale, 'child.action', { action: label, user });
  return { text, upscale: false };
}

function modeWord(job: Job): string {
  return t(job.locale, `mode.${job.task?.mode ?? job.mode}`);
}

/** The status suffix: "(Waiting to start)", "(45%) (fast)", "(fast)", "(Failed)"… ('' for a finished upscale). */
export function statusSuffix(job: Job, upscale: boolean): string {
  const word = (key: MessageKey): string => `(${t(job.locale, key)})`;
  const task = job.task;
  switch (job.phase) {
    case 'queued':
      return `(${t(job.locale, 'status.localQueue', { position: job.waitingPosition ?? 1 })})`;
    case 'submitting':
      return word('status.waiting');
    case 'modal':
      return word('status.paused');
    case 'failed':
      return word(job.failure?.kind === 'cancelled' ? 'status.cancelled' : 'status.failed');
    case 'succeeded':
      return upscale ? '' : `(${modeWord(job)})`;
    case 'tracking': {
      if (!task || WAITING_STATUSES.has(task.status)) return upstreamQueue(job) ?? word('status.waiting');
      if (task.status === 'MODAL') return word('status.paused');
      const percent = Math.max(0, Math.min(100, Math.round(task.progress ?? 0)));
      return `(${t(job.locale, 'status.progress', { percent })}) (${modeWord(job)})`;
    }
  }
}

/**
 * "(In Midjourney's queue, position 3)" while the upstream holds the task in its own queue (code 22): its
 * position counts the tasks ahead (`queuePosition`) plus this one, like the bot's own "Waiting in position #N".
 */
function upstreamQueue(job: Job): string | null {
  const ahead = job.task?.queuePosition;
  if (ahead === null || ahead === undefined || ahead < 0) return null;
  return `(${t(job.locale, 'status.mjQueue', { position: ahead + 1 })})`;
}

/**
 * The message content: `**<prompt>** - <who> <status>`, then `extra` lines (parent link, explanations),
 * the prompt cut so that the whole stays within 2000 characters.
 */
export function contentLine(job: Job, prompt: string, extra: readonly string[] = []): string {
  const head = who(job);
  const suffix = statusSuffix(job, head.upscale);
  const rest = [` - ${head.text}${suffix ? ` ${suffix}` : ''}`, ...extra].join('\n');
  const room = LIMITS.content - rest.length - 4;
  const shown = truncate(inlinePrompt(prompt), Math.max(room, 1));
  return truncate(`**${shown}**${rest}`, LIMITS.content);
}
