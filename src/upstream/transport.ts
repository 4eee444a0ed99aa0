import { type Dispatcher, request } from 'undici';
import type { Clock } from '../util/clock.js';
import type { Op, RawResponse } from './envelope.js';
import { MjError } from './errors.js';
import { parseRetryAfter } from './retry.js';

/** One HTTP exchange with the upstream. */
export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  /** Serialised as JSON when present. */
  body?: unknown;
  timeoutMs: number;
  op: Op;
  /** e.g. `submit/imagine`, for messages. */
  endpoint: string;
}

/**
 * undici's own header/body timers, in real time: only a backstop for a clock that never fires (a test's fake
 * clock left standing). The per-request timeout is the injected clock's timer.
 */
const BACKSTOP_MS = 120_000;

/** Error codes meaning the request never left this host: nothing can have reached the upstream. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The first error code found on `err`, its `cause` chain or its aggregated errors. */
function errorCode(err: unknown, depth = 0): string | null {
  if (typeof err !== 'object' || err === null || depth > 4) return null;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = errorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return errorCode(e.cause, depth + 1);
}

/** Maps a thrown transport error to an `MjError`: network (not sent), timeout, or unknown_outcome / network. */
function transportError(err: unknown, call: HttpCall, timedOut: boolean): MjError {
  const code = errorCode(err);
  const context = `${call.endpoint}${code ? `: ${code}` : ''}`;
  if (code && NOT_SENT.has(code)) return new MjError({ kind: 'network', context, cause: err });
  if (timedOut || (code && TIMEOUTS.has(code))) {
    const ctx = `${call.endpoint}: no answer within ${call.timeoutMs} ms`;
    return new MjError({
      kind: call.op === 'submit' ? 'unknown_outcome' : 'timeout',
      context: ctx,
      cause: err,
    });
  }
  return new MjError({ kind: call.op === 'submit' ? 'unknown_outcome' : 'network', context, cause: err });
}

/** The first value of a response header. */
function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Sends one request and reads the whole body. Never retries. Throws `MjError` only for transport failures
 * (the HTTP status is left to the caller). The API key travels in the Authorization header only and is never
 * part of an error. `clock` times the request out (`call.timeoutMs`) and dates a `Retry-After` given as an HTTP
 * date.
 */
export async function send(
  call: HttpCall,
  apiKey: string,
  dispatcher: Dispatcher | undefined,
  clock: Clock,
): Promise<RawResponse> {
  const ac = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    ac.abort(new Error('mj request timed out'));
  }, call.timeoutMs);
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await request(call.url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: ac.signal,
      headersTimeout: Math.max(BACKSTOP_MS, call.timeoutMs),
      bodyTimeout: Math.max(BACKSTOP_MS, call.timeoutMs),
      ...(dispatcher ? { dispatcher } : {}),
    });
    const text = await res.body.text();
    const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'), clock.now());
    return {
      status: res.statusCode,
      contentType: header(res.headers, 'content-type') ?? '',
      text,
      ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    };
  } catch (err) {
    throw transportError(err, call, timedOut);
  } finally {
    timer.cancel();
  }
}
