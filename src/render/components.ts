import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIButtonComponentWithCustomId,
} from 'discord-api-types/v10';
import { EMOJI, keycap, LIMITS } from '../constants.js';
import { t } from '../i18n/index.js';
import { isCancellable } from '../jobs/limits.js';
import type { FailureKind, Job } from '../jobs/types.js';
import { layoutButtons } from './buttons.js';
import { type CustomIdData, makeCustomId } from './customId.js';
import { truncate } from './text.js';

/** A row of buttons as Discord's API takes it. */
export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

interface ButtonSpec {
  id: CustomIdData;
  label?: string;
  emoji?: string | null;
  style?: 1 | 2 | 3 | 4;
}

/** One custom_id button; a button always gets a label or an emoji. */
export function button({ id, label, emoji, style = 2 }: ButtonSpec): APIButtonComponentWithCustomId {
  const text = truncate(label?.trim() ?? '', LIMITS.buttonLabel);
  return {
    type: 2,
    style,
    custom_id: makeCustomId(id),
    ...(text || !emoji ? { label: text || '?' } : {}),
    ...(emoji ? { emoji: { name: emoji } } : {}),
  };
}

/** Buttons in rows of at most 5, at most 5 rows. */
export function rows(buttons: APIButtonComponent[][]): ButtonRow[] {
  return buttons
    .flatMap((group) => {
      const out: APIButtonComponent[][] = [];
      for (let i = 0; i < group.length; i += LIMITS.buttonsPerRow) {
        out.push(group.slice(i, i + LIMITS.buttonsPerRow));
      }
      return out;
    })
    .slice(0, LIMITS.actionRows)
    .map((components) => ({ type: 1, components }));
}

/** The upstream buttons of a finished task, each custom_id pointing at its index in `task.buttons`. */
export function upstreamRows(job: Job): ButtonRow[] {
  return layoutButtons(job.task?.buttons ?? []).map((row) => ({
    type: 1,
    components: row.map(({ index, info }) =>
      button({
        id: { kind: 'btn', jobId: job.id, index },
        label: info.label || (info.emoji ? '' : info.name),
        emoji: info.emoji,
        style: info.style,
      }),
    ),
  }));
}

const MAX_PICKS = 10;

/** `1 2 3 4` (kind 'pick', numbered from 1) for describe results; keycaps `1️⃣ 2️⃣…` for shorten. */
export function pickButtons(job: Job, count: number, keycaps = false): APIButtonComponentWithCustomId[] {
  return Array.from({ length: Math.min(count, MAX_PICKS) }, (_, i) =>
    button({
      id: { kind: 'pick', jobId: job.id, n: i + 1 },
      ...(keycaps ? { emoji: keycap(i + 1) } : { label: `${i + 1}` }),
    }),
  );
}

/** Describe: `1 2 3 4 🔄` then `🎉 Imagine all`. */
export function describeRows(job: Job, count: number): ButtonRow[] {
  const picks = pickButtons(job, count);
  const again = button({ id: { kind: 'redescribe', jobId: job.id }, emoji: EMOJI.reroll });
  const all = button({
    id: { kind: 'pickall', jobId: job.id },
    label: t(job.locale, 'button.imagineAll'),
    emoji: EMOJI.imagineAll,
  });
  const fits = picks.length % LIMITS.buttonsPerRow !== 0;
  const groups = fits ? [[...picks, again]] : [picks, [again]];
  return rows(count > 0 ? [...groups, [all]] : [[again]]);
}

/** Shorten: one numbered button per shortened prompt. */
export function shortenRows(job: Job, count: number): ButtonRow[] {
  return rows([pickButtons(job, count, true)]);
}

/** A job paused in MODAL: the `Edit prompt` button. */
export function editPromptRows(job: Job): ButtonRow[] {
  const edit = button({
    id: { kind: 'remix', jobId: job.id },
    label: t(job.locale, 'button.editPrompt'),
    emoji: EMOJI.edit,
    style: 1,
  });
  return rows([[edit]]);
}

/** Failures worth a retry: the same request could work a moment later. */
export const RETRYABLE: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'upstream_failure',
  'unavailable',
  'queue_full',
  'deadline',
  'unknown_outcome',
  'vanished',
]);

/** Failures after which the upstream may still hold the task: a `Check` looks it up by its task id. */
const CHECKABLE: ReadonlySet<FailureKind> = new Set<FailureKind>(['unknown_outcome', 'deadline']);

/** True when a failed job offers `Check` (its task id is known and the task may still exist upstream). */
export function offersCheck(job: Job, kind: FailureKind): boolean {
  return CHECKABLE.has(kind) && !!job.taskId;
}

/** The `Retry` button of a failed job, when retrying makes sense, and `Check` when the task may still exist. */
export function retryRows(job: Job, kind: FailureKind): ButtonRow[] {
  if (!RETRYABLE.has(kind)) return [];
  const retry = button({
    id: { kind: 'retry', jobId: job.id },
    label: t(job.locale, 'button.retry'),
    emoji: EMOJI.retry,
  });
  const check = button({ id: { kind: 'check', jobId: job.id }, label: t(job.locale, 'button.check') });
  return rows([offersCheck(job, kind) ? [check, retry] : [retry]]);
}

/** 🌱 under a finished image (not a describe or shorten result): shows its seed to the presser. */
export function seedButton(job: Job): APIButtonComponentWithCustomId | null {
  const action = job.task?.action?.toUpperCase() ?? '';
  const text =
    job.kind === 'describe' || job.kind === 'shorten' || action === 'DESCRIBE' || action === 'SHORTEN';
  if (job.phase !== 'succeeded' || !job.taskId || text) return null;
  return button({ id: { kind: 'seed', jobId: job.id }, emoji: EMOJI.seed });
}

/**
 * Row 5, the bot's own controls (never the upstream's): ❌ while the job may still be cancelled (waiting in the
 * local queue, or not yet started upstream), ✉️ and 🗑️ under a result. Empty when nothing applies.
 * Every control of the bot goes in this one row.
 */
export function controlsRow(job: Job): ButtonRow[] {
  const controls: APIButtonComponentWithCustomId[] = [];
  if (isCancellable(job))
    controls.push(button({ id: { kind: 'cancel', jobId: job.id }, emoji: EMOJI.cancel }));
  if (job.phase === 'succeeded') {
    const seed = seedButton(job);
    if (seed) controls.push(seed);
    controls.push(button({ id: { kind: 'dm', jobId: job.id }, emoji: EMOJI.dm }));
    controls.push(button({ id: { kind: 'delete', jobId: job.id }, emoji: EMOJI.delete }));
  }
  return controls.length > 0 ? rows([controls]) : [];
}

/** The job's rows with the controls row last; the content rows give way when all five would be taken. */
export function withControls(job: Job, content: ButtonRow[]): ButtonRow[] {
  const controls = controlsRow(job);
  return [...content.slice(0, LIMITS.actionRows - controls.length), ...controls];
}
