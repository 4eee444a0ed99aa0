import type Keyv from 'keyv';
import type { Logger } from '../log.js';
import type { MjClient } from '../upstream/client.js';
import type { JobEventBus } from './events.js';
import type { Jobs } from './service.js';
import { confirmModal } from './submit.js';
import type { Job } from './types.js';

/**
 * Remix through an aggregator: the user already edited the prompt in the bot's pop-up and the action was sent
 * with `enableRemix`, but the aggregator answered "accepted" (code 1) instead of "pop-up needed" (code 21); only
 * the task's status MODAL, seen later by the tracker, says the upstream waits for the prompt. The prompt is kept
 * by task id until then and sent once — never twice: it is taken out of the store before the request.
 */

const key = (taskId: string) => `remix:${taskId}`;
/** Long enough for any upstream to report MODAL; a prompt never used simply expires. */
const TTL_MS = 2 * 60 * 60_000;

/** Keeps the prompt a user gave for `taskId`, to confirm its pop-up when the task turns MODAL. */
export async function rememberRemixPrompt(keyv: Keyv, taskId: string, prompt: string): Promise<void> {
  await keyv.set(key(taskId), prompt, TTL_MS);
}

export interface RemixFollowUpOptions {
  keyv: Keyv;
  upstream: Pick<MjClient, 'modal'>;
  jobs: Jobs;
  /** The hub: the follow-up hears of jobs that turned MODAL (`paused`). */
  events: JobEventBus;
  logger: Logger;
}

/**
 * Listens on the hub: a job that turned MODAL and whose prompt is kept gets `/mj/submit/modal` with it and is
 * tracked again. A refused or failed confirmation ends the job with the reason (the user may press the button
 * again); a job without a kept prompt keeps its **Edit prompt** button. Returns the call that stops listening.
 */
export function remixFollowUp(o: RemixFollowUpOptions): () => void {
  const claiming = new Set<string>();
  const confirm = async (job: Job, taskId: string): Promise<void> => {
    const prompt = await o.keyv.get<string>(key(taskId));
    if (typeof prompt !== 'string' || prompt === '') {
      o.logger.debug({ jobId: job.id, taskId }, 'task waits in MODAL, no kept prompt: the user edits it');
      return;
    }
    await o.keyv.delete(key(taskId));
    const log = { jobId: job.id, taskId, userId: job.ownerId };
    o.logger.info(log, 'remix pop-up reported by the task status: sending the edited prompt');
    try {
      const result = await confirmModal(o.upstream, { taskId, prompt, mode: job.mode });
      await o.jobs.accepted(job.id, result, { prompt });
    } catch (err) {
      o.logger.warn({ ...log, err }, 'confirming the remix pop-up failed');
      await o.jobs.refused(job.id, err);
    }
  };
  return o.events.on('paused', ({ job }) => {
    const taskId = job.taskId;
    if (!taskId || claiming.has(taskId)) return;
    claiming.add(taskId);
    confirm(job, taskId)
      .catch((err: unknown) => o.logger.error({ jobId: job.id, err }, 'remix follow-up failed'))
      .finally(() => claiming.delete(taskId));
  });
}
