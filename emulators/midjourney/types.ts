import type { MjButton, Mode } from '../../src/upstream/types.js';

/** Options of `MjSimulator.start`. */
export interface SimOptions {
  /** Expected key (`Authorization: Bearer <key>` or `mj-api-secret: <key>`); default 'test-key'. */
  apiKey?: string;
  /**
   * Behave like a midjourney-proxy seen through a new-api aggregator: status '' until `start()`; remix modals
   * answered as code 1 (task in MODAL) except Inpaint/CustomZoom; refused actions → HTTP 400 `unknown_action:<id> `;
   * unknown tasks → HTTP 400 code 4 `task_no_found` / `task_not_found`; FAILURE keeps progress '100%'.
   */
  aggregator?: boolean;
  /** Default true; false → 404 on `/mj/task/list-by-condition`. */
  listByCondition?: boolean;
  /** Default true; false → 404 on `/mj/task/{id}/image-seed`. */
  imageSeed?: boolean;
  /**
   * Opt-in: like NZ/TA, POST the full task JSON to the task's `notifyHook` after each change made through
   * `start`/`progress`/`succeed`/`fail` (best-effort: not retried, errors swallowed). Default false.
   */
  notify?: boolean;
  /** Opt-in: called with each task a submit created (e.g. to run it on a timeline). */
  onCreated?: (task: SimTask) => void;
}

/** A callback the simulator sent (with `notify: true`). */
export interface SimNotification {
  taskId: string;
  status: string;
  progress: string | null;
  /** HTTP status the receiver answered, or null when the request failed; resolves once answered. */
  answer: Promise<number | null>;
}

/** One request as received, recorded before it is answered. */
export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Speed mode from the `/mj-<mode>/` prefix; null without one. */
  mode: Mode | null;
  /**
   * 'submit/imagine' … 'submit/modal', 'task/fetch', 'task/list-by-condition', 'task/image-seed', 'img' for image
   * downloads; otherwise the path after `/mj/` (or the whole path).
   */
  endpoint: string;
  /** The `{id}` of `task/{id}/…` paths; null otherwise. */
  taskId: string | null;
  /** Parsed JSON body; the raw text when it is not JSON; null when empty. `any` so tests can read fields freely. */
  // biome-ignore lint/suspicious/noExplicitAny: test convenience, the body is whatever the client sent
  body: any;
  authorization: string | undefined;
  mjApiSecret: string | undefined;
}

/** The task JSON as a midjourney-proxy returns it. */
export interface SimTaskJson {
  id: string;
  action: string;
  status: string;
  prompt: string | null;
  promptEn: string | null;
  description: string | null;
  state: string | null;
  submitTime: number | null;
  startTime: number | null;
  finishTime: number | null;
  imageUrl: string | null;
  progress: string | null;
  failReason: string | null;
  buttons: MjButton[];
  properties: Record<string, unknown>;
}

/** A simulated task: the JSON plus internal fields (not all of them are served). */
export interface SimTask extends SimTaskJson {
  /** `maskBase64` given to `/submit/modal`. */
  mask: string | null;
  /** Prompt given to `/submit/modal`. */
  modalPrompt: string | null;
  parentId: string | null;
  customId: string | null;
  enableRemix: boolean;
  botType: string;
  /** Mode of the path prefix the task was submitted with. */
  mode: Mode | null;
  /** Seed served by image-seed once the task succeeded. */
  seed: string | null;
  /** Bytes served for `/img/<id>/final.png` (default: a generated PNG). */
  imageBytes: Buffer | null;
  /** The submit body as received. */
  request: Record<string, unknown>;
}

/** Scripted answer to the next submit (FIFO via `nextSubmit`) — also usable as a `Fault`. */
export type SubmitScript =
  /** Accept (the normal handler runs, creating the task) with this code; 22 adds `numberOfQueues`. */
  | { code: 1 | 22; queue?: number }
  /** Accept as "modal required": the created task is put in MODAL. */
  | { code: 21; finalPrompt?: string }
  | { code: 24; bannedWord: string }
  | { code: 23 }
  /** Error envelope; `httpStatus` default 404 for code 3, 200 otherwise. */
  | { code: 3 | 4 | 9; description?: string; httpStatus?: number }
  /** TA `Result` shape `{success:false, code:-1, message}` (HTTP 200). */
  | { successFalse: string }
  /** Aggregator `{description, type:'upstream_error', code}`; HTTP 400 by default. */
  | { aggregatorError: { code: number; description: string }; httpStatus?: number }
  /** Raw answer. */
  | { http: number; body: string; contentType?: string }
  /** Never answered (until `close()`). */
  | { hang: true }
  /** The socket is destroyed once the request was read. */
  | { destroy: true };

/** A fault for matching requests: a scripted answer, or a late (but otherwise normal) answer. */
export type Fault = SubmitScript | { delayMs: number } | { until: Promise<unknown> };

/** Which requests a fault applies to; without `endpoint` every `/mj` request matches (image downloads do not). */
export interface FaultMatch {
  endpoint?: string | RegExp;
}

/** What a handler answers. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  /** Binary body (images). */
  bytes?: Buffer;
  contentType?: string;
}
