import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import {
  type Resolver,
  SafeFetchError,
  type SafeFetchOptions,
  safeFetch,
} from '../../src/media/safeFetch.js';
import { FakeClock } from '../support/fakeClock.js';

const PNG = makePng(8, 4);
let server: Server;
let port: number;
const seen: string[] = [];
const hanging: ServerResponse[] = [];
/** Called when a request reaches `/hang`: the event a timeout test waits for. */
let onHang: () => void = () => undefined;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/img.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  '/typed.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/PNG; charset=binary' }).end(PNG),
  '/page': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
  '/untyped': (_req, res) => res.writeHead(200).end(PNG),
  '/big-declared': (_req, res) =>
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' }).end(Buffer.alloc(5000)),
  '/big-streamed': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500));
    res.end();
  },
  '/missing': (_req, res) => res.writeHead(404).end(),
  '/to-img': (_req, res) => res.writeHead(302, { location: '/img.png' }).end(),
  '/to-meta-name': (_req, res) => res.writeHead(302, { location: `http://meta.test:${port}/img.png` }).end(),
  '/to-meta-ip': (_req, res) =>
    res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data' }).end(),
  '/to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/hang': (_req, res) => {
    hanging.push(res);
    onHang();
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    seen.push(path);
    (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const base: SafeFetchOptions = {
  maxBytes: 1024,
  timeoutMs: 5_000,
  contentTypes: ['image/png', 'image/jpeg'],
};
const loopback = (path: string) => `http://127.0.0.1:${port}${path}`;

/** A resolver for made-up names: `img.test` is "public" (really 127.0.0.1), `meta.test` the metadata address. */
const names: Resolver = async (host) => {
  if (host === 'img.test') return [{ address: '127.0.0.1', family: 4 }];
  if (host === 'meta.test') return [{ address: '169.254.169.254', family: 4 }];
  if (host === 'rebind.test')
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
  throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
};
/** Treats 127.0.0.1 as public so the made-up names can reach the test server; everything else is judged normally. */
const policy = {
  resolve: names,
  blocked: (a: string) => a !== '127.0.0.1' && (a.startsWith('169.254.') || a.startsWith('10.')),
};

async function failure(url: string, opts: Partial<SafeFetchOptions> = {}): Promise<string> {
  const err = await safeFetch(url, { ...base, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SafeFetchError);
  return (err as SafeFetchError).reason;
}

describe('safeFetch', () => {
  it('fetches an image when private addresses are allowed', async () => {
    const got = await safeFetch(loopback('/img.png'), { ...base, allowPrivate: true });
    expect(got.data.equals(PNG)).toBe(true);
    expect(got.contentType).toBe('image/png');
  });

  it('reads the content type without its parameters and case', async () => {
    const got = await safeFetch(loopback('/typed.png'), { ...base, allowPrivate: true });
    expect(got.contentType).toBe('image/png');
  });

  it('refuses loopback, private and link-local addresses by default, before connecting', async () => {
    const before = seen.length;
    expect(await failure(loopback('/img.png'))).toBe('blocked');
    expect(await failure(`http://[::1]:${port}/img.png`)).toBe('blocked');
    expect(await failure(`http://[::ffff:127.0.0.1]:${port}/img.png`)).toBe('blocked');
    expect(await failure(`http://2130706433:${port}/img.png`)).toBe('blocked'); // 127.0.0.1 as a number
    expect(await failure('http://169.254.169.254/latest/meta-data')).toBe('blocked');
    expect(await failure(`http://localhost:${port}/img.png`)).toBe('blocked'); // resolved, then refused
    expect(seen.length).toBe(before);
  });

  it('refuses a name when any of its addresses is refused (checked at connect time)', async () => {
    const before = seen.length;
    expect(await failure(`http://rebind.test:${port}/img.png`, policy)).toBe('blocked');
    expect(seen.length).toBe(before);
  });

  it('refuses what is not http(s) or carries credentials', async () => {
    expect(await failure('file:///etc/passwd')).toBe('bad_url');
    expect(await failure('ftp://example.com/a.png')).toBe('bad_url');
    expect(await failure('not a url')).toBe('bad_url');
    expect(await failure('http://user:pw@example.com/a.png')).toBe('bad_url');
  });

  it('follows a redirect and checks every hop again', async () => {
    const ok = await safeFetch(`http://img.test:${port}/to-img`, { ...base, ...policy });
    expect(ok.data.equals(PNG)).toBe(true);
    const before = seen.length;
    expect(await failure(`http://img.test:${port}/to-meta-name`, policy)).toBe('blocked');
    expect(await failure(`http://img.test:${port}/to-meta-ip`, policy)).toBe('blocked');
    expect(await failure(`http://img.test:${port}/to-file`, policy)).toBe('bad_url');
    // Only the first hops reached the server: the refused targets were never contacted.
    expect(seen.slice(before)).toEqual(['/to-meta-name', '/to-meta-ip', '/to-file']);
    expect(await failure(`http://img.test:${port}/loop`, policy)).toBe('redirects');
  });

  it('refuses other content types, a missing one, and error statuses', async () => {
    const allow = { allowPrivate: true };
    expect(await failure(loopback('/page'), allow)).toBe('not_image');
    expect(await failure(loopback('/untyped'), allow)).toBe('not_image');
    expect(await failure(loopback('/missing'), allow)).toBe('http');
  });

  it('cuts bodies over the size limit, declared or not', async () => {
    const allow = { allowPrivate: true };
    expect(await failure(loopback('/big-declared'), allow)).toBe('too_large');
    expect(await failure(loopback('/big-streamed'), allow)).toBe('too_large');
  });

  it('gives up after the timeout, timed on the injected clock', async () => {
    const clock = new FakeClock();
    const reached = new Promise<void>((resolve) => (onHang = resolve));
    const result = failure(loopback('/hang'), { allowPrivate: true, timeoutMs: 150, clock });
    await reached;
    await clock.advance(149);
    expect(clock.pending).toBe(1); // still waiting for an answer
    await clock.advance(1);
    expect(await result).toBe('timeout');
  });
});
