import { MjError, type MjErrorKind, redact } from './errors.js';
import { isObject } from './parse.js';
import type { SubmitResult } from './types.js';

/** An HTTP answer, body fully read as text. */
export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** The wait asked for by a `Retry-After` header, in ms, when there was a readable one. */
  retryAfterMs?: number | null;
}

/** `submit` answers are never retried and may be ambiguous; `read` answers are idempotent. */
export type Op = 'submit' | 'read';

/** Which request produced the answer (for messages) and the secret to scrub from upstream text. */
export interface AnswerContext {
  endpoint: string;
  secret: string;
}

/** Descriptions saying "queue full" (NZ code 23 text, TA code 9 text, TA per-user queue limit). */
const QUEUE_FULL = /队列已满|队列数已达上限|queue (?:is )?full/i;

/** Parses a body as JSON; `undefined` when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short plain-text description of a non-JSON body ('' for HTML pages). */
function plainText(res: RawResponse, ctx: AnswerContext): string {
  const text = res.text.trim();
  if (text === '' || /html/i.test(res.contentType) || text.startsWith('<')) return '';
  return redact(text.slice(0, 300), ctx.secret);
}

function text(v: unknown, ctx: AnswerContext): string {
  return typeof v === 'string' ? redact(v.trim(), ctx.secret) : '';
}

/**
 * Maps a recognised upstream error body — `{code, description}`, TA's `{success:false, message}` or the
 * aggregator's `{type:'upstream_error', code, description}` — to an `MjError`. Returns null for any other body,
 * including accepted envelopes (codes 1, 21, 22).
 */
export function errorFromBody(body: unknown, httpStatus: number, ctx: AnswerContext): MjError | null {
  if (!isObject(body)) return null;
  const code = typeof body.code === 'number' ? body.code : null;
  const base = { code, httpStatus, context: ctx.endpoint };
  if (body.success === false) {
    const description = text(body.message, ctx) || text(body.description, ctx);
    return new MjError({
      ...base,
      kind: QUEUE_FULL.test(description) ? 'queue_full' : 'rejected',
      description,
    });
  }
  if (code === null) return null;
  const description = text(body.description, ctx);
  if (typeof body.type === 'string' && body.type !== '') {
    return new MjError({ ...base, kind: aggregatorKind(description), description });
  }
  const props = isObject(body.properties) ? body.properties : {};
  switch (code) {
    case 1:
    case 21:
    case 22:
      return null;
    case 24: {
      const word = text(props.bannedWord, ctx);
      return new MjError({ ...base, kind: 'banned', description, bannedWord: word || null });
    }
    case 23:
      return new MjError({ ...base, kind: 'queue_full', description });
    case 3:
      return new MjError({ ...base, kind: 'not_found', description });
    default:
      return new MjError({
        ...base,
        kind: QUEUE_FULL.test(description) ? 'queue_full' : 'rejected',
        description,
      });
  }
}

/** Aggregator (`new-api`) error descriptions: `task_not_found`, `task_no_found`, `unknown_action:<id>`, … */
function aggregatorKind(description: string): MjErrorKind {
  if (/^task_no(?:t)?_found\b/.test(description)) return 'not_found';
  if (description.startsWith('unknown_action')) return 'unsupported';
  return 'rejected';
}

/**
 * Classifies an answer that is not a success for the caller. Order: 401/403 → auth; 429 → unavailable;
 * 5xx → unknown_outcome (submit) / unavailable (read); a recognised error body → its kind; 404/405 → unsupported;
 * other 4xx → rejected; anything else (2xx with HTML, malformed or unexpected JSON, 3xx) → unknown_outcome (submit)
 * / unavailable (read).
 */
export function classifyFailure(
  res: RawResponse,
  op: Op,
  ctx: AnswerContext,
  body = parseJson(res.text),
): MjError {
  const { status } = res;
  const vague: MjErrorKind = op === 'submit' ? 'unknown_outcome' : 'unavailable';
  const base = { httpStatus: status, context: ctx.endpoint };
  const fromBody = errorFromBody(body, status, ctx);
  const described = fromBody?.description ?? plainText(res, ctx);
  if (status === 401 || status === 403) return new MjError({ ...base, kind: 'auth', description: described });
  // Only "too many requests" and "unavailable" ask the caller to come back after a given time.
  const retryAfterMs = status === 429 || status === 503 ? (res.retryAfterMs ?? null) : null;
  if (status === 429)
    return new MjError({
      ...base,
      kind: 'unavailable',
      code: fromBody?.code,
      description: described,
      retryAfterMs,
    });
  if (status >= 500)
    return new MjError({ ...base, kind: vague, code: fromBody?.code, description: described, retryAfterMs });
  if (fromBody) return fromBody;
  if (status === 404 || status === 405)
    return new MjError({ ...base, kind: 'unsupported', description: described });
  if (status >= 400) return new MjError({ ...base, kind: 'rejected', description: described });
  return new MjError({ ...base, kind: vague, description: described });
}

function taskIdOf(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Interprets a submit answer: codes 1 and 22 → `accepted`, 21 → `modal`; everything else throws `MjError`
 * (an accepted code without a task id is `unknown_outcome`: the upstream may hold a task we cannot name).
 */
export function interpretSubmit(res: RawResponse, ctx: AnswerContext): SubmitResult {
  const body = parseJson(res.text);
  if (res.status >= 200 && res.status < 300 && isObject(body) && typeof body.code === 'number') {
    const { code } = body;
    if (code === 1 || code === 21 || code === 22) {
      const taskId = taskIdOf(body.result);
      const description = text(body.description, ctx);
      if (!taskId) {
        throw new MjError({
          kind: 'unknown_outcome',
          code,
          httpStatus: res.status,
          description,
          context: ctx.endpoint,
        });
      }
      const props = isObject(body.properties) ? body.properties : {};
      if (code === 21) {
        const finalPrompt = typeof props.finalPrompt === 'string' ? props.finalPrompt : '';
        return { kind: 'modal', taskId, code, description, finalPrompt };
      }
      const queue = props.numberOfQueues;
      const queuePosition = typeof queue === 'number' && Number.isFinite(queue) ? queue : null;
      return { kind: 'accepted', taskId, code, description, queuePosition };
    }
  }
  throw classifyFailure(res, 'submit', ctx, body);
}
