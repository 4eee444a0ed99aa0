import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../util/clock.js';
import { type AnswerContext, classifyFailure, interpretSubmit, parseJson } from './envelope.js';
import { isObject, type MjLogger, normalizeTask, normalizeTaskList } from './parse.js';
import { type RetryPolicy, withReadRetries } from './retry.js';
import { send } from './transport.js';
import type {
  ActionRequest,
  BlendRequest,
  DescribeRequest,
  ImagineRequest,
  MjTask,
  ModalRequest,
  Mode,
  ShortenRequest,
  SubmitResult,
} from './types.js';

export interface MjClientOptions {
  /** Part before `/mj`, e.g. `http://127.0.0.1:1234` or `https://api.example.com`; trailing slashes tolerated. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; never logged nor put in errors. */
  apiKey: string;
  /** Default speed mode: requests go to `${baseUrl}/mj-${mode}/mj/...`. */
  mode: Mode;
  /** Per-request timeout for both kinds, unless the specific one below is set. */
  timeoutMs?: number;
  /** Per-request timeout of submits; default `timeoutMs` ?? 30 000. */
  submitTimeoutMs?: number;
  /** Per-request timeout of reads; default `timeoutMs` ?? 15 000. */
  readTimeoutMs?: number;
  /** Retries of a read after the first attempt; default 3. Submits are never retried. */
  readRetries?: number;
  /** Backoff base (default 500 ms) and cap (default 8 000 ms); the delay is `random() * min(cap, base * 2^n)`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Longest wait honoured when a read gets 429/503 with `Retry-After` (default 60 000 ms); that wait replaces the
   * backoff.
   */
  retryAfterMaxMs?: number;
  /**
   * Time for the per-request timeouts, the waits between read retries and dating `Retry-After`; default the
   * system clock.
   */
  clock?: Clock;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  dispatcher?: Dispatcher;
  logger?: MjLogger;
  /** Callback URL put on every submit that sets none (`notifyHook`); the upstream POSTs task changes there. */
  notifyHook?: string;
}

/**
 * Thin client of the midjourney-proxy contract (directly or through an aggregator).
 * Submits throw `MjError` for every outcome but acceptance/modal and are never retried;
 * reads are retried on unavailable/timeout/network, after the wait a 429/503 asked for (`Retry-After`, capped)
 * or else with exponential backoff and full jitter; the waits run on the injected clock.
 */
export class MjClient {
  private readonly base: string;
  private readonly submitTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  /** Kept in a true private field so the key never shows up when the client is inspected or serialised. */
  readonly #opts: MjClientOptions;

  constructor(opts: MjClientOptions) {
    this.#opts = opts;
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.submitTimeoutMs = opts.submitTimeoutMs ?? opts.timeoutMs ?? 30_000;
    this.readTimeoutMs = opts.readTimeoutMs ?? opts.timeoutMs ?? 15_000;
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    this.retry = {
      retries: Math.max(0, opts.readRetries ?? 3),
      baseMs: opts.retryBaseMs ?? 500,
      maxMs: opts.retryMaxMs ?? 8_000,
      retryAfterMaxMs: opts.retryAfterMaxMs ?? 60_000,
      sleep: (ms) => clock.sleep(ms),
      random: opts.random ?? Math.random,
      logger: opts.logger,
    };
  }

  /** Submits `/imagine`. Resolves on code 1/22; throws `MjError` otherwise (e.g. `banned`, `queue_full`). */
  imagine(req: ImagineRequest): Promise<SubmitResult> {
    return this.submit('imagine', req);
  }

  /** Submits `/blend` with 2–5 data-URL images. */
  blend(req: BlendRequest): Promise<SubmitResult> {
    return this.submit('blend', req);
  }

  /** Submits `/describe` with a data-URL (`base64`) or a `link`. */
  describe(req: DescribeRequest): Promise<SubmitResult> {
    return this.submit('describe', req);
  }

  /** Submits `/shorten` (PLUS/TA). */
  shorten(req: ShortenRequest): Promise<SubmitResult> {
    return this.submit('shorten', req);
  }

  /**
   * Presses a button (`customId` from the parent's `buttons`). May resolve to `{kind:'modal'}` (code 21):
   * then call `modal()` with the returned task id. Through an aggregator a remix modal is reported as accepted;
   * the task then reads `status: 'MODAL'`.
   */
  action(req: ActionRequest): Promise<SubmitResult> {
    return this.submit('action', req);
  }

  /** Confirms a task in status MODAL with the (edited) prompt and, for Vary (Region), a mask. Same task id. */
  modal(req: ModalRequest): Promise<SubmitResult> {
    return this.submit('modal', req);
  }

  /**
   * Reads one task. Resolves null when the upstream does not know it (200 empty, 204, 404, code 3,
   * aggregator `task_not_found`/`task_no_found`). Retried on unavailable/timeout/network.
   */
  fetch(taskId: string): Promise<MjTask | null> {
    if (taskId.trim() === '') return Promise.resolve(null);
    const endpoint = 'task/fetch';
    const url = this.url(`task/${encodeURIComponent(taskId)}/fetch`);
    return withReadRetries(endpoint, this.retry, async () => {
      const res = await this.send('GET', url, endpoint, 'read');
      if (res.status === 204 || res.status === 404) return null;
      const body = parseJson(res.text);
      if (res.status >= 200 && res.status < 300) {
        if (res.text.trim() === '' || body === null) return null;
        if (isObject(body) && ('id' in body || 'status' in body || 'action' in body)) {
          const task = normalizeTask(body, taskId);
          if (task) return task;
        }
      }
      const err = classifyFailure(res, 'read', this.ctx(endpoint), body);
      if (err.kind === 'not_found') return null;
      throw err;
    });
  }

  /**
   * Reads many tasks at once via `POST /mj/task/list-by-condition`. Unknown ids are simply absent; malformed
   * entries are skipped with a warning. Throws `MjError` kind `unsupported` when the endpoint is missing
   * (404/405): fall back to `fetch`.
   */
  fetchMany(taskIds: string[]): Promise<MjTask[]> {
    const ids = [...new Set(taskIds.filter((id) => id.trim() !== ''))];
    if (ids.length === 0) return Promise.resolve([]);
    const endpoint = 'task/list-by-condition';
    const url = this.url(endpoint);
    return withReadRetries(endpoint, this.retry, async () => {
      const res = await this.send('POST', url, endpoint, 'read', { ids });
      const body = parseJson(res.text);
      if (res.status >= 200 && res.status < 300) {
        const tasks = normalizeTaskList(body, this.#opts.logger);
        if (tasks) return tasks;
      }
      throw classifyFailure(res, 'read', this.ctx(endpoint), body);
    });
  }

  /**
   * Reads the Midjourney seed of a finished task (`GET /mj/task/{id}/image-seed`, PLUS/TA). Throws `not_found`
   * for an unknown task, `rejected` when the task has no seed yet, `unsupported` when the endpoint is missing.
   */
  imageSeed(taskId: string): Promise<string> {
    const endpoint = 'task/image-seed';
    const url = this.url(`task/${encodeURIComponent(taskId)}/image-seed`);
    return withReadRetries(endpoint, this.retry, async () => {
      const res = await this.send('GET', url, endpoint, 'read');
      const body = parseJson(res.text);
      if (res.status >= 200 && res.status < 300 && isObject(body) && body.code === 1) {
        const seed = body.result;
        if (typeof seed === 'string' && seed.trim() !== '') return seed.trim();
        if (typeof seed === 'number' && Number.isFinite(seed)) return String(seed);
      }
      throw classifyFailure(res, 'read', this.ctx(endpoint), body);
    });
  }

  private async submit(
    name: string,
    req: { mode?: Mode | undefined; notifyHook?: string | undefined },
  ): Promise<SubmitResult> {
    const { mode, ...rest } = req;
    const hook = rest.notifyHook ?? this.#opts.notifyHook;
    const body = hook ? { ...rest, notifyHook: hook } : rest;
    const endpoint = `submit/${name}`;
    const res = await this.send('POST', this.url(endpoint, mode), endpoint, 'submit', body);
    return interpretSubmit(res, this.ctx(endpoint));
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    endpoint: string,
    op: 'submit' | 'read',
    body?: unknown,
  ) {
    const timeoutMs = op === 'submit' ? this.submitTimeoutMs : this.readTimeoutMs;
    const started = this.clock.now();
    const res = await send(
      { method, url, body, timeoutMs, op, endpoint },
      this.#opts.apiKey,
      this.#opts.dispatcher,
      this.clock,
    );
    this.#opts.logger?.debug?.(
      { endpoint, status: res.status, ms: this.clock.now() - started },
      'mj: answered',
    );
    return res;
  }

  private url(path: string, mode: Mode = this.#opts.mode): string {
    return `${this.base}/mj-${mode}/mj/${path}`;
  }

  private ctx(endpoint: string): AnswerContext {
    return { endpoint, secret: this.#opts.apiKey };
  }
}
