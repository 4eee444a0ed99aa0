import type { Job } from '../../jobs/types.js';
import { download, sniffImage } from '../../media/download.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { UserError } from '../userError.js';
import { describedImage } from './redescribe.js';
import type { RetryPlan } from './retry.js';

/** Downloads a job's images again (Discord attachment URLs last about a day), judged by their bytes. */
export async function imagesAgain(ctx: BotContext, urls: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const url of urls) {
    const data = await download(url, { maxBytes: ctx.config.maxImageBytes, timeoutMs: 15_000 }).then(
      (d) => d.data,
      () => null,
    );
    const type = data ? sniffImage(data) : null;
    if (!data || !type) throw new UserError('retry.imagesExpired');
    out.push(`data:${type};base64,${data.toString('base64')}`);
  }
  return out;
}

/**
 * How to send a /blend, /describe or /shorten job's request again (Retry, and a queued job after a restart):
 * its images are fetched again from where the user gave them. Null for other kinds.
 */
export function commandPlan(ctx: BotContext, job: Job): RetryPlan | null {
  const botType = job.botType ? { botType: job.botType } : {};
  const init = {
    prompt: job.prompt,
    mode: job.mode,
    botType: job.botType,
    imageCount: job.imageCount,
    parentMessageUrl: messageUrl(job.message),
    ...(job.repeat ? { repeat: job.repeat } : {}),
  };
  if (job.kind === 'shorten') {
    const send = () => ctx.upstream.shorten({ prompt: job.prompt, mode: job.mode, ...botType });
    return { init: { ...init, kind: 'shorten' }, prepare: async () => send };
  }
  const urls = job.repeat?.imageUrls ?? [];
  if (job.kind === 'blend' && urls.length >= 2) {
    const dimensions = job.repeat?.dimensions ?? 'SQUARE';
    return {
      init: { ...init, kind: 'blend' },
      prepare: async () => {
        const base64Array = await imagesAgain(ctx, urls);
        return () => ctx.upstream.blend({ base64Array, dimensions, mode: job.mode, ...botType });
      },
    };
  }
  if (job.kind === 'describe' && (urls.length > 0 || job.repeat?.link)) {
    return {
      init: { ...init, kind: 'describe' },
      prepare: async () => {
        const base64 = await describedImage(ctx, job);
        return () => ctx.upstream.describe({ base64, mode: job.mode, ...botType });
      },
    };
  }
  return null;
}
