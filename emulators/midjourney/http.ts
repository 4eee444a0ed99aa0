import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mode } from '../../src/upstream/types.js';
import type { Reply, SimRequest } from './types.js';

/** Where a request goes. */
export interface Route {
  path: string;
  /** True for `/mj/...` and `/mj-<mode>/mj/...`. */
  mj: boolean;
  mode: Mode | null;
  endpoint: string;
  taskId: string | null;
  /** For `/img/<taskId>/<name>.png`. */
  imageName: string | null;
}

/** Parses `/mj/...`, `/mj-fast|relax|turbo/mj/...` and `/img/<taskId>/<name>.png`. */
export function parseRoute(url: string): Route {
  const path = new URL(url, 'http://sim.local').pathname;
  const img = /^\/img\/([^/]+)\/([^/]+)\.png$/.exec(path);
  if (img) {
    return {
      path,
      mj: false,
      mode: null,
      endpoint: 'img',
      taskId: img[1] ?? null,
      imageName: img[2] ?? null,
    };
  }
  const m = /^\/(?:mj-(fast|relax|turbo)\/)?mj\/(.*)$/.exec(path);
  if (!m) return { path, mj: false, mode: null, endpoint: path, taskId: null, imageName: null };
  const mode = (m[1] as Mode | undefined) ?? null;
  const rest = m[2] ?? '';
  const task = /^task\/([^/]+)\/(fetch|image-seed)$/.exec(rest);
  if (task?.[1] && task[2]) {
    const taskId = decodeURIComponent(task[1]);
    return { path, mj: true, mode, endpoint: `task/${task[2]}`, taskId, imageName: null };
  }
  return { path, mj: true, mode, endpoint: rest, taskId: null, imageName: null };
}

/** Reads the whole request body as UTF-8. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a reply: JSON, raw text, or an empty body. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  let body = '';
  const headers: Record<string, string> = {};
  if (reply.bytes !== undefined) {
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/octet-stream' });
    res.end(reply.bytes);
    return;
  }
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    body = reply.text;
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** The record of a request (body parsed as JSON when possible). */
export function toSimRequest(req: IncomingMessage, route: Route, text: string): SimRequest {
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    method: req.method ?? 'GET',
    path: route.path,
    mode: route.mode,
    endpoint: route.endpoint,
    taskId: route.taskId,
    body,
    authorization: header('authorization'),
    mjApiSecret: header('mj-api-secret'),
  };
}
