import type { Refusal, Requester } from '../jobs/limits.js';
import { LimitError } from '../jobs/queue.js';
import type { BotContext } from './context.js';
import { UserError } from './userError.js';

/** A Discord timestamp that every client shows in its own language and time zone ("in 5 hours"). */
export function relativeTime(ms: number): string {
  return `<t:${Math.floor(ms / 1000)}:R>`;
}

/** What the user reads when a limit refuses their request. */
export function refusalError(refusal: Refusal): UserError {
  switch (refusal.reason) {
    case 'quota':
      return new UserError('limits.quota', { quota: refusal.quota, renew: relativeTime(refusal.renewsAt) });
    case 'queue_full':
      return new UserError('limits.queueFull', { max: refusal.max });
    case 'user_queue_full':
      return new UserError('limits.userQueueFull', { max: refusal.max });
  }
}

/**
 * Refuses at once (before anything is deferred or downloaded) a request the limits would refuse; the binding
 * decision is taken again when the job is created (`startJobAt`).
 */
export async function precheckLimits(ctx: BotContext, requester: Requester): Promise<void> {
  try {
    await ctx.queue.precheck(requester);
  } catch (err) {
    throw err instanceof LimitError ? refusalError(err.refusal) : err;
  }
}
