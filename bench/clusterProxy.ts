import { Agent, createServer, request } from 'node:http';

/** One request as it went through a {@link CountingProxy}. */
export interface ProxiedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

/**
 * A plain HTTP forwarder on 127.0.0.1 in front of one fake, one per bot process, so each request (and each 429)
 * is counted for the process that sent it. The fakes keep their own record for the totals.
 */
export interface CountingProxy {
  /** The target's URL with host and port replaced by the proxy's (path kept, e.g. `…/api`). */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

export function countingProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        requests.push({
          method: req.method ?? 'GET',
          path: (req.url ?? '').split('?')[0] ?? '',
          status: answer.statusCode ?? 0,
          at: Date.now(),
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const url = new URL(target);
      url.host = `127.0.0.1:${port}`;
      resolve({
        url: url.toString().replace(/\/$/, ''),
        requests,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
