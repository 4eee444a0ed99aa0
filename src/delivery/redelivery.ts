import { DiscordAPIError } from 'discord.js';
import { FINAL_PHASES, type Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';

export interface RedeliveryOptions {
  clock: Clock;
  logger: Logger;
  /** Queues the job's current state again (read fresh from the store). */
  resend: (jobId: string) => void;
  /** First wait; it doubles per attempt up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Attempts in all (the first included) for a state that is not final (a later state replaces it anyway). */
  maxAttempts: number;
}

/**
 * True for a failed write worth repeating: Discord's 5xx (after discord.js's own retries), a timeout or a network
 * error. A 4xx is an answer, not an outage (429s are waited out by discord.js itself).
 */
export function isTransient(err: unknown): boolean {
  return !(err instanceof DiscordAPIError) || err.status >= 500;
}

/**
 * Writes of job messages that Discord did not take: a state that is not final is tried a few times, then left to
 * the job's next state; a final state is tried until it lands (backing off up to `maxMs`), so the result arrives
 * once Discord recovers. A restart in between shows it too (the store keeps final jobs not yet shown).
 */
export class Redelivery {
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private stopped = false;

  constructor(private readonly o: RedeliveryOptions) {}

  /** A state of the job reached Discord: forget earlier failures and any pending retry. */
  succeeded(jobId: string): void {
    this.attempts.delete(jobId);
    this.timers.get(jobId)?.cancel();
    this.timers.delete(jobId);
  }

  /** A write of `job` failed: schedule another, or log and give up. */
  failed(job: Job, err: unknown): void {
    const final = FINAL_PHASES.has(job.phase);
    const attempt = (this.attempts.get(job.id) ?? 0) + 1;
    const log = { jobId: job.id, channelId: job.message.channelId, attempt, err };
    if (this.stopped || !isTransient(err) || (!final && attempt >= this.o.maxAttempts)) {
      this.attempts.delete(job.id);
      this.o.logger.error(log, 'could not update the job message');
      return;
    }
    this.attempts.set(job.id, attempt);
    const delayMs = Math.min(this.o.maxMs, this.o.baseMs * 2 ** (attempt - 1));
    this.o.logger.warn(
      { ...log, final, delayMs },
      'Discord did not take the job message update; trying again',
    );
    this.timers.get(job.id)?.cancel();
    this.timers.set(
      job.id,
      this.o.clock.setTimeout(() => {
        this.timers.delete(job.id);
        if (!this.stopped) this.o.resend(job.id);
      }, delayMs),
    );
  }

  /** Number of writes waiting for another attempt. */
  get pending(): number {
    return this.timers.size;
  }

  /** Cancels every pending retry (shutdown); final states left are shown again at the next start. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
