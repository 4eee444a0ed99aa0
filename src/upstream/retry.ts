import { MjError, type MjErrorKind } from './errors.js';
import type { MjLogger } from './parse.js';

/** Kinds after which a read is attempted again. */
const RETRY_READ: ReadonlySet<MjErrorKind> = new Set(['unavailable', 'timeout', 'network']);

/** How reads are retried: the wait the upstream asked for (`Retry-After`), else exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** Longest `Retry-After` wait honoured; a longer one is cut to this. */
  retryAfterMaxMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger?: MjLogger | undefined;
}

/** Full-jitter delay before retry number `attempt` (0-based): `random() * min(maxMs, baseMs * 2^attempt)`. */
export function backoffDelay(attempt: number, p: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  const cap = Math.min(p.maxMs, p.baseMs * 2 ** attempt);
  return Math.round(Math.max(0, Math.min(1, p.random())) * cap);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds (`120`) or an HTTP date, counted from `now`
 * (a date already past is 0). Null when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its month (`Wed, 21 Oct 2015 07:28:00 GMT`); `Date.parse` alone would take `-5` as a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before retry number `attempt` after `err`: what the upstream asked for, capped, else the backoff. */
function delayBefore(attempt: number, err: MjError, policy: RetryPolicy): number {
  if (err.retryAfterMs !== null) return Math.min(err.retryAfterMs, policy.retryAfterMaxMs);
  return backoffDelay(attempt, policy);
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
      const delayMs = delayBefore(attempt, err, policy);
      policy.logger?.warn(
        {
          endpoint,
          attempt: attempt + 1,
          kind: err.kind,
          httpStatus: err.httpStatus,
          delayMs,
          ...(err.retryAfterMs !== null ? { retryAfterMs: err.retryAfterMs } : {}),
        },
        'mj: read failed, retrying',
      );
      await policy.sleep(delayMs);
    }
  }
}
