import { MjError, type MjErrorKind } from './errors.js';
import type { MjLogger } from './parse.js';

/** Kinds after which a read is attempted again. */
const RETRY_READ: ReadonlySet<MjErrorKind> = new Set(['unavailable', 'timeout', 'network']);

/** How reads are retried: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger?: MjLogger | undefined;
}

/** The default sleep: a plain timer. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Full-jitter delay before retry number `attempt` (0-based): `random() * min(maxMs, baseMs * 2^attempt)`. */
export function backoffDelay(attempt: number, p: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  const cap = Math.min(p.maxMs, p.baseMs * 2 ** attempt);
  return Math.round(Math.max(0, Math.min(1, p.random())) * cap);
}

/**
 * Runs `fn`, retrying on `MjError` kinds unavailable/timeout/network up to `policy.retries` times.
 * Other errors are thrown at once; after the last attempt the last error is thrown.
 */
export async function withReadRetries<T>(
  endpoint: string,
  policy: RetryPolicy,
  fn: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof MjError) || !RETRY_READ.has(err.kind) || attempt >= policy.retries) throw err;
      const delayMs = backoffDelay(attempt, policy);
      policy.logger?.warn(
        { endpoint, attempt: attempt + 1, kind: err.kind, httpStatus: err.httpStatus, delayMs },
        'mj: read failed, retrying',
      );
      await policy.sleep(delayMs);
    }
  }
}
