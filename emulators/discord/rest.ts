/** HTTP entry point: auth, faults, routing, rate-limit headers, call recording, attachment downloads. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, errors, type ParsedBody, type Reply, readBody, send } from './http.js';
import { DEFAULT_RATE_HEADERS } from './ratelimit.js';
import { channelRoutes } from './restChannels.js';
import { interactionRoutes } from './restInteractions.js';
import type { FakeState } from './state.js';
import type { Fault } from './types.js';

/** What a route handler gets. */
export interface RouteCtx {
  state: FakeState;
  params: Record<string, string>;
  body: ParsedBody;
  query: URLSearchParams;
}

export interface Route {
  method: string;
  pattern: string;
  /** Needs `Authorization: Bot <token>`. */
  bot: boolean;
  handle(ctx: RouteCtx): Reply | Promise<Reply>;
}

const routes: Route[] = [...interactionRoutes, ...channelRoutes];

function match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
  const parts = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i] ?? '';
      if (seg.startsWith(':')) params[seg.slice(1)] = part;
      return seg.startsWith(':') ? part !== '' : seg === part;
    });
    if (ok) return { route, params };
  }
  return null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function faultReply(fault: Fault): Reply {
  const message =
    fault.message ?? (fault.status === 429 ? 'You are being rate limited.' : `${fault.status}: Fault`);
  const retry = fault.headers?.['retry-after'] ?? fault.headers?.['Retry-After'];
  const extra = fault.status === 429 ? { retry_after: Number(retry ?? 0), global: false } : {};
  return { ...apiError(fault.status, fault.code ?? 0, message, extra), headers: fault.headers };
}

function serveAttachment(state: FakeState, path: string, res: ServerResponse): void {
  const [, , id = ''] = path.split('/');
  const attachment = state.attachments.get(id);
  const status = attachment ? 200 : 404;
  state.recordCall({
    method: 'GET',
    path,
    route: '/attachments/:id/:filename',
    query: {},
    status,
    body: undefined,
    files: [],
    auth: 'none',
    at: state.now(),
  });
  if (!attachment) {
    send(res, errors.notFound());
    return;
  }
  res.writeHead(200, {
    'content-type': attachment.contentType ?? 'application/octet-stream',
    'content-length': String(attachment.size),
  });
  res.end(attachment.data);
}

/** Handles one HTTP request of the bot. */
export async function handleHttp(state: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.split('/').map(decode).join('/');
  if (method === 'GET' && path.startsWith('/attachments/')) {
    serveAttachment(state, path, res);
    return;
  }
  const api = /^\/api(?:\/v\d+)?(\/.*)$/.exec(path);
  const apiPath = api?.[1] ?? path;
  let body: ParsedBody = { json: undefined, files: [] };
  let reply: Reply | null = null;
  try {
    body = await readBody(req);
  } catch (error) {
    reply = apiError(400, 50109, `The request body contains invalid JSON. (${String(error)})`);
  }
  const header = req.headers.authorization;
  const auth = header === `Bot ${state.opts.token}` ? 'bot' : 'none';
  const found = api ? match(method, apiPath) : null;
  if (reply) {
    // keep the parse error
  } else if ((header !== undefined && auth !== 'bot') || (found?.route.bot && auth !== 'bot')) {
    reply = errors.unauthorized();
  } else {
    const fault = state.takeFault(method, apiPath);
    if (fault) reply = faultReply(fault);
    else if (!found) reply = errors.notFound();
    else {
      try {
        reply = await found.route.handle({ state, params: found.params, body, query: url.searchParams });
      } catch (error) {
        reply = apiError(500, 0, `FakeDiscord handler error: ${String(error)}`);
      }
    }
  }
  const headers = reply.status === 429 ? { ...reply.headers } : { ...DEFAULT_RATE_HEADERS, ...reply.headers };
  state.recordCall({
    method,
    path: apiPath,
    route: found?.route.pattern ?? 'unknown',
    query: Object.fromEntries(url.searchParams),
    status: reply.status,
    body: body.json,
    files: body.files,
    auth,
    at: state.now(),
  });
  send(res, { ...reply, headers });
}
