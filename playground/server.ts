/**
 * The playground's web server: the page (bundled from `web/` by esbuild at start), a small JSON API that acts as
 * a person on the local Discord, live updates as server-sent events, and the files the messages show.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FakeDiscord } from '../emulators/discord/index.js';
import { act } from './actions.js';
import type { Live } from './live.js';
import type { ViewState, ViewWorld } from './shared.js';

const WEB = join(dirname(fileURLToPath(import.meta.url)), 'web');
const MAX_BODY = 30 * 1024 * 1024;

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(WEB, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page on `host:port` (port 0 → a free one). `upstreamBase`: where `/upstream/…` is fetched from. */
export async function startWebServer(o: {
  discord: FakeDiscord;
  live: Live;
  world: ViewWorld;
  host: string;
  port: number;
  upstreamBase: string | null;
}): Promise<WebServer> {
  const [script, css, html] = await Promise.all([
    bundle(),
    readFile(join(WEB, 'style.css'), 'utf8'),
    readFile(join(WEB, 'index.html'), 'utf8'),
  ]);
  const routes = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method === 'POST' && path.startsWith('/api/')) {
      try {
        const result = act(o.discord, o.live, path.slice(5), await readJson(req));
        return send(res, 200, 'application/json', JSON.stringify(result));
      } catch (err) {
        const message = err instanceof Error ? err.message.replace(/^FakeDiscord: /, '') : String(err);
        return send(res, 400, 'application/json', JSON.stringify({ error: message }));
      }
    }
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', html);
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (path === '/style.css') return send(res, 200, 'text/css; charset=utf-8', css);
    if (path === '/api/state') {
      const state: ViewState = { world: o.world, commands: o.live.commands(), messages: o.live.messages() };
      return send(res, 200, 'application/json', JSON.stringify(state));
    }
    if (path === '/api/events') return events(o.live, req, res);
    const file = /^\/files\/(\d+)\//.exec(path);
    if (file) {
      const all = [...o.discord.messages.values(), ...o.discord.userMessages.values()];
      const a = all.flatMap((m) => m.attachments).find((x) => x.id === file[1]);
      if (!a) return send(res, 404, 'text/plain', 'no such file');
      return send(res, 200, a.contentType ?? 'application/octet-stream', a.data);
    }
    if (path.startsWith('/upstream/') && o.upstreamBase) {
      const answer = await fetch(o.upstreamBase + path.slice('/upstream'.length));
      const type = answer.headers.get('content-type') ?? 'application/octet-stream';
      return send(res, answer.status, type, Buffer.from(await answer.arrayBuffer()));
    }
    send(res, 404, 'text/plain', 'not found');
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://playground.local').pathname;
    routes(req, res, path).catch((err) => {
      if (!res.headersSent) send(res, 500, 'text/plain', String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Server-sent events: every change, as JSON, until the page goes away. */
function events(live: Live, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const stop = live.subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    stop();
  });
}
