/** HTTP entry point: auth, faults, routing, rate-limit headers, call recording, attachment downloads. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formError } from './formError.js';
import { apiError, errors, type ParsedBody, type Reply, readBody, send } from './http.js';
import { DEFAULT_RATE_HEADERS } from './ratelimit.js';
import { channelRoutes } from './restChannels.js';
import { interactionRoutes } from './restInteractions.js';
import type { Route } from './route.js';
import { specIssues } from './spec.js';
import type { FakeState } from './state.js';
import type { Fault } from './types.js';

export type { Route, RouteCtx } from './route.js';

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

/** A matched route's answer: 400 / 50035 when the body breaks Discord's published document, else the handler's. */
async function answer(
  state: FakeState,
  found: { route: Route; params: Record<string, string> },
  body: ParsedBody,
  query: URLSearchParams,
  method: string,
): Promise<Reply> {
  const invalid = formError(specIssues(method, found.route.pattern, body.json));
  if (invalid) return invalid;
  try {
    return await found.route.handle({ state, params: found.params, body, query });
  } catch (error) {
    return apiError(500, 0, `FakeDiscord handler error: ${String(error)}`);
  }
}

/** Handles one HTTP request of the bot. */
export async function handleHttp(state: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.split('/').map(decode).join('/');
  if (method === 'GET' && path.startsWith('/attachments/')) {
    const hold = state.downloadHold;
    if (hold) {
      hold.requested();
      await hold.released;
    }
    serveAttachment(state, path, res);
    return;
  }
  const api = /^\/api(?:\/v\d+)?(\/.*)$/.exec(path);
  const apiPath = api?.[1] ?? path;
  let body: ParsedBody = { json: undefined, files: [] };
  let reply: Reply | null = null;
  let injected = false;
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
    injected = fault !== null;
    // The bot-wide limit counts what the bot token sends; interaction routes carry no token and are exempt.
    const overGlobal = !fault && auth === 'bot' ? (state.globalLimiter?.take() ?? null) : null;
    if (overGlobal) state.rateLimited += 1;
    if (fault) reply = faultReply(fault);
    else if (overGlobal) reply = overGlobal;
    else if (!found) reply = errors.notFound();
    else reply = await answer(state, found, body, url.searchParams, method);
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
    answer: reply.body,
    ...(injected || reply.injected ? { injected: true } : {}),
  });
  send(res, { status: reply.status, body: reply.body, headers });
}
