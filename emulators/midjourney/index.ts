import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MjButton } from '../../src/upstream/types.js';
import { dispatch, type FaultEntry } from './dispatch.js';
import { parseRoute, readBody, sendReply, toSimRequest } from './http.js';
import type { UnknownTaskAnswer } from './reads.js';
import {
  failTask,
  mustGet,
  progressTask,
  queueTask,
  type SimCore,
  startTask,
  succeedTask,
  taskView,
} from './tasks.js';
import type {
  Fault,
  FaultMatch,
  SimNotification,
  SimOptions,
  SimRequest,
  SimTask,
  SubmitScript,
} from './types.js';

export { crc32, makePng, PNG_SIGNATURE } from './png.js';
export type { UnknownTaskAnswer } from './reads.js';
export type {
  Fault,
  FaultMatch,
  SimNotification,
  SimOptions,
  SimRequest,
  SimTask,
  SimTaskJson,
  SubmitScript,
} from './types.js';

interface Waiter {
  pred: (r: SimRequest) => boolean;
  resolve: (r: SimRequest) => void;
  reject: (e: Error) => void;
}

/**
 * A midjourney-proxy (TA/PLUS contract, optionally seen through a new-api aggregator) on 127.0.0.1, driven by the
 * test: tasks only advance through `start`/`progress`/`succeed`/`fail`. Every request is recorded before it is
 * answered.
 */
export class MjSimulator implements SimCore {
  readonly requests: SimRequest[] = [];
  readonly tasks = new Map<string, SimTask>();
  readonly created: string[] = [];
  /** Callbacks sent to notifyHooks (only with `notify: true`), in order. */
  readonly notifications: SimNotification[] = [];
  readonly aggregator: boolean;
  /** How a plain proxy answers a fetch of an unknown task (TA: 204). Tests may change it. */
  unknownTaskAnswer: UnknownTaskAnswer = 204;
  private readonly scripts: SubmitScript[] = [];
  private readonly faults: FaultEntry[] = [];
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly opts: Required<Omit<SimOptions, 'onCreated'>> & Pick<SimOptions, 'onCreated'>,
  ) {
    this.aggregator = opts.aggregator;
  }

  /** Starts a simulator on a random loopback port. */
  static async start(opts: SimOptions = {}): Promise<MjSimulator> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const full = {
      apiKey: 'test-key',
      aggregator: false,
      listByCondition: true,
      imageSeed: true,
      notify: false,
      ...opts,
    };
    const sim = new MjSimulator(server, `http://127.0.0.1:${port}`, full);
    server.on('request', (req, res) => {
      sim.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendReply(res, { status: 500, text: String(err) });
      });
    });
    return sim;
  }

  /** Recorded submit requests, optionally of one endpoint ('imagine' or 'submit/imagine'). */
  submits(endpoint?: string): SimRequest[] {
    const want = endpoint && !endpoint.startsWith('submit/') ? `submit/${endpoint}` : endpoint;
    return this.requests.filter((r) => r.endpoint.startsWith('submit/') && (!want || r.endpoint === want));
  }

  /** Resolves with the first request (already made or future) matching `pred`; rejects after `timeoutMs`. */
  waitForRequest(pred: (r: SimRequest) => boolean, timeoutMs = 5_000): Promise<SimRequest> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`MjSimulator.waitForRequest: nothing matched within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        pred,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Scripts the answer to the next submit (FIFO). Accepting scripts (1/21/22) still create the task. */
  nextSubmit(script: SubmitScript): void {
    this.scripts.push(script);
  }

  /** Applies `fault` to the next `times` requests matching `match` (before auth and scripts). */
  fault(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, left: times });
  }

  /** The task (throws when unknown). */
  task(taskId: string): SimTask {
    return mustGet(this, taskId);
  }

  /** A task accepted with code 22 moves in the proxy's queue: `ahead` tasks are before it now. */
  queue(taskId: string, ahead: number): void {
    queueTask(mustGet(this, taskId), ahead, !this.aggregator);
    this.notify(taskId);
  }

  /** → SUBMITTED, progress '0%'. */
  start(taskId: string): void {
    startTask(mustGet(this, taskId));
    this.notify(taskId);
  }

  /** → IN_PROGRESS, progress `${pct}%`, preview imageUrl. */
  progress(taskId: string, pct: number): void {
    progressTask(this, mustGet(this, taskId), pct);
    this.notify(taskId);
  }

  /** → SUCCESS with final image, buttons of the action (or `opts.buttons`), finalPrompt, messageHash. */
  succeed(taskId: string, opts?: { imageBytes?: Buffer; buttons?: MjButton[] }): void {
    succeedTask(this, mustGet(this, taskId), opts);
    this.notify(taskId);
  }

  /** → FAILURE with `reason`. */
  fail(taskId: string, reason: string): void {
    failTask(this, mustGet(this, taskId), reason);
    this.notify(taskId);
  }

  /** start + progress(50) + succeed. */
  complete(taskId: string, opts?: { imageBytes?: Buffer; buttons?: MjButton[] }): void {
    this.start(taskId);
    this.progress(taskId, 50);
    this.succeed(taskId, opts);
  }

  /** The upstream loses the task: fetch answers "unknown". */
  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** Id of the most recently created task (throws when none). */
  lastTaskId(): string {
    const id = this.created.at(-1);
    if (!id) throw new Error('MjSimulator: no task created yet');
    return id;
  }

  /** Stops the server, dropping open (e.g. hanging) connections and rejecting pending waiters. */
  async close(): Promise<void> {
    for (const w of this.waiters) w.reject(new Error('MjSimulator closed'));
    this.waiters.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** With `notify`: POSTs the task JSON to its notifyHook, as NZ/TA do; best-effort, never retried. */
  private notify(taskId: string): void {
    const task = this.tasks.get(taskId);
    const hook = task?.properties.notifyHook;
    if (!this.opts.notify || !task || typeof hook !== 'string' || hook === '') return;
    const answer = fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(taskView(task, this.aggregator)),
    }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status;
      },
      () => null,
    );
    this.notifications.push({ taskId, status: task.status, progress: task.progress, answer });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const route = parseRoute(req.url ?? '/');
    const rec = toSimRequest(req, route, text);
    this.record(rec);
    const { opts, unknownTaskAnswer, scripts, faults } = this;
    const before = this.created.length;
    const outcome = await dispatch({ core: this, opts, unknownTaskAnswer, scripts, faults }, rec, route);
    if (opts.onCreated) {
      for (const id of this.created.slice(before)) {
        const task = this.tasks.get(id);
        if (task) opts.onCreated(task);
      }
    }
    if (outcome === 'destroy') req.socket.destroy();
    else if (outcome !== 'hang') sendReply(res, outcome);
  }

  private record(rec: SimRequest): void {
    this.requests.push(rec);
    for (const w of this.waiters) {
      if (w.pred(rec)) {
        this.waiters.delete(w);
        w.resolve(rec);
      }
    }
  }
}
