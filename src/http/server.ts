import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { BotMetrics } from '../metrics.js';
import { normalizeTask } from '../upstream/parse.js';
import type { MjTask } from '../upstream/types.js';
import { BodyTooLarge, readBody } from './body.js';

/** What `GET /healthz` reports. */
export interface Health {
  ok: boolean;
  discord: 'ready' | 'connecting';
  store: 'ok' | 'error';
  activeJobs: number;
  /** The Discord shards this process runs. */
  shards: number[];
  /** Active jobs whose lease this process holds (0 with one process). */
  leases: number;
}

/** What became of a callback: applied to a tracked job, or ignored (unknown or finished task). */
export type CallbackOutcome = 'applied' | 'ignored';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Secret path segment of `/hooks/mj/<secret>`; null → callbacks are not served. */
  callbackSecret: string | null;
  /** Largest callback body accepted, in bytes (default 256 KiB; a task JSON is a few KiB). */
  maxBodyBytes?: number;
  onCallback(task: MjTask): Promise<CallbackOutcome>;
  health(): Promise<Health>;
  /** Served as `GET /metrics` (Prometheus text format) when given; callbacks are counted there too. */
  metrics?: BotMetrics | null;
  /** The Vary (Region) editor's routes (`/editor/…`), served when PUBLIC_URL is set. */
  editor?: { handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> } | null;
}

const CALLBACK_PATH = /\/hooks\/mj\/([^/]*)$/;
const DEFAULT_MAX_BODY = 256 * 1024;

/** The request was refused with this status before or while its body was read. */
class Refused extends Error {
  constructor(readonly status: number) {
    super(`refused with ${status}`);
  }
}

/**
 * The bot's inbound HTTP: upstream callbacks (`POST …/hooks/mj/<secret>`, unsigned and best-effort, so they are
 * checked hard and only ever speed things up) and `GET /healthz`. Nothing else is served.
 */
export class HttpServer {
  private readonly server: Server;
  private readonly secretDigest: Buffer | null;

  constructor(private readonly o: HttpServerOptions) {
    this.secretDigest = o.callbackSecret ? digest(o.callbackSecret) : null;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        const status = err instanceof Refused ? err.status : 500;
        if (status === 500) this.o.logger.error({ err }, 'http request failed');
        reply(res, status, status === 500 ? { error: 'internal' } : undefined, status === 413);
      });
    });
    // Slow or stuck clients must not hold sockets open.
    this.server.headersTimeout = 5_000;
    this.server.requestTimeout = 10_000;
    this.server.keepAliveTimeout = 5_000;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? this.o.port;
  }

  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        this.o.logger.info({ host: this.o.host, port: this.port }, 'http server listening');
        resolve(this.port);
      });
    });
  }

  stop(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://bot.local').pathname;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return reply(res, 405, undefined, false, 'GET, HEAD');
      const health = await this.o.health();
      return reply(res, health.ok ? 200 : 503, health);
    }
    if (path === '/metrics' && this.o.metrics) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return reply(res, 405, undefined, false, 'GET, HEAD');
      const { registry } = this.o.metrics;
      res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      return;
    }
    if (this.o.editor && path.startsWith('/editor/') && (await this.o.editor.handle(req, res, path))) return;
    const hook = CALLBACK_PATH.exec(path);
    if (!hook || !this.secretDigest) return reply(res, 404);
    if (req.method !== 'POST') return reply(res, 405, undefined, false, 'POST');
    // The secret is checked before a byte of the body is read, in constant time; it is never logged.
    if (!timingSafeEqual(digest(decodeSegment(hook[1] ?? '')), this.secretDigest)) {
      this.o.logger.warn({ remote: req.socket.remoteAddress }, 'callback refused: wrong secret');
      this.countCallback('forbidden');
      return reply(res, 403, undefined, true);
    }
    const text = await readBody(req, this.o.maxBodyBytes ?? DEFAULT_MAX_BODY).then(
      (bytes) => bytes.toString('utf8'),
      (err: unknown) => {
        if (!(err instanceof BodyTooLarge)) throw err;
        this.countCallback('too_large');
        throw new Refused(413);
      },
    );
    const task = parseTask(text);
    if (!task) {
      this.o.logger.warn({ bytes: text.length }, 'callback refused: not a task JSON');
      this.countCallback('invalid');
      return reply(res, 400);
    }
    const outcome = await this.o.onCallback(task);
    this.countCallback(outcome);
    this.o.logger.debug({ taskId: task.id, status: task.status, outcome }, 'callback received');
    return reply(res, outcome === 'applied' ? 202 : 204);
  }

  private countCallback(outcome: string): void {
    this.o.metrics?.callbacks.inc({ outcome });
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A task JSON as NZ / TA post it (the full task object); null when it is not one. */
function parseTask(text: string): MjTask | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  if ((typeof id !== 'string' || id.trim() === '') && typeof id !== 'number') return null;
  return normalizeTask(body);
}

function reply(res: ServerResponse, status: number, json?: unknown, close = false, allow?: string): void {
  if (res.headersSent) return;
  // A refused body may still be streaming in: drop the connection once the answer is out.
  if (close) res.once('finish', () => res.socket?.destroySoon());
  const headers: Record<string, string> = {};
  if (close) headers.connection = 'close';
  if (allow) headers.allow = allow;
  if (json === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const body = JSON.stringify(json);
  headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, headers).end(body);
}
