/**
 * What went wrong talking to the upstream, as the bot needs to tell it apart:
 * - `rejected`: the upstream refused the request (validation, unknown action, quota…); `description` says why.
 * - `banned`: the prompt hit the banned-word list (code 24); `bannedWord` names the word when known.
 * - `queue_full`: the upstream queue is full (code 23, or code 9/4 saying so); try again later.
 * - `auth`: HTTP 401/403; the API key is wrong or not allowed.
 * - `not_found`: the task (or the parent task of an action) is unknown (code 3, aggregator `task_not_found`).
 * - `unavailable`: the upstream answered but not usefully (429, 5xx, HTML, malformed JSON) — nothing was accepted.
 * - `timeout`: a read did not answer in time.
 * - `network`: the request could not be sent at all (connection refused, DNS); nothing reached the upstream.
 * - `unknown_outcome`: a submit may have reached the upstream but no trustworthy answer came back.
 *   Never resubmit blindly: the task may exist.
 * - `unsupported`: the endpoint (or action) is not offered by this upstream.
 */
export type MjErrorKind =
  | 'rejected'
  | 'banned'
  | 'queue_full'
  | 'auth'
  | 'not_found'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'unknown_outcome'
  | 'unsupported';

/** Kinds after which repeating the same request later is safe and may succeed. */
const RETRYABLE: ReadonlySet<MjErrorKind> = new Set(['queue_full', 'unavailable', 'timeout', 'network']);

/** Fields of an `MjError`; only `kind` is required. */
export interface MjErrorInit {
  kind: MjErrorKind;
  code?: number | null;
  httpStatus?: number | null;
  /** Upstream text only (already redacted); never our own wording. */
  description?: string;
  bannedWord?: string | null;
  /** Our own short context for the message, e.g. `submit/imagine`. Must not contain secrets. */
  context?: string;
  /** The wait the upstream asked for before a new attempt (its `Retry-After`), in ms. */
  retryAfterMs?: number | null;
  cause?: unknown;
}

/**
 * An upstream failure. The message is built from the kind, the endpoint, the HTTP status and the upstream code
 * and description; it never contains the API key or request headers.
 */
export class MjError extends Error {
  override name = 'MjError';
  readonly kind: MjErrorKind;
  /** The upstream `code` (midjourney-proxy return code or aggregator code), when there was one. */
  readonly code: number | null;
  readonly httpStatus: number | null;
  /** Upstream text (`description` / `message`); '' when the upstream gave none. */
  readonly description: string;
  readonly bannedWord: string | null;
  /** True when the same request may be repeated later (queue_full, unavailable, timeout, network). */
  readonly retryable: boolean;
  /** The wait the upstream asked for (`Retry-After` on a 429 or 503), in ms; null when it gave none. */
  readonly retryAfterMs: number | null;

  constructor(init: MjErrorInit) {
    super(buildMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.description = init.description ?? '';
    this.bannedWord = init.bannedWord ?? null;
    this.retryable = RETRYABLE.has(init.kind);
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

function buildMessage(init: MjErrorInit): string {
  const parts = [`upstream ${init.kind}`];
  if (init.context) parts.push(`(${init.context})`);
  if (init.httpStatus != null) parts.push(`HTTP ${init.httpStatus}`);
  if (init.code != null) parts.push(`code ${init.code}`);
  let msg = parts.join(' ');
  if (init.description) msg += `: ${init.description}`;
  return msg;
}

/** Replaces every occurrence of `secret` in `text` (no-op for empty secrets). */
export function redact(text: string, secret: string): string {
  if (!secret) return text;
  return text.split(secret).join('***');
}
