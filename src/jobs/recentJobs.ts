import type Keyv from 'keyv';

/** Jobs remembered per user for `/show`'s autocomplete, newest first. */
export const RECENT_MAX = 25;
const recentKey = (userId: string) => `recent:${userId}`;

/**
 * `recent:<userId>`: the ids of a user's latest jobs, newest first, capped at {@link RECENT_MAX}. Writes of one
 * process are serialised, so two jobs started at once are both kept. An id whose record is gone later is simply
 * skipped by readers.
 */
export class RecentJobs {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly keyv: Keyv) {}

  /** Puts `jobId` first in `userId`'s list. */
  add(userId: string, jobId: string): Promise<void> {
    const next = this.chain.then(async () => {
      const ids = await recentJobIds(this.keyv, userId);
      await this.keyv.set(
        recentKey(userId),
        [jobId, ...ids.filter((id) => id !== jobId)].slice(0, RECENT_MAX),
      );
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** `userId`'s recent job ids, newest first (empty when none). */
export async function recentJobIds(keyv: Keyv, userId: string): Promise<string[]> {
  const ids = await keyv.get<unknown>(recentKey(userId));
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
