import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, request } from 'undici';
import { type Clock, systemClock } from '../util/clock.js';
import { isPrivateAddress } from './netGuard.js';

/** Why a user-given URL was not fetched. */
export type SafeFetchFailure =
  | 'bad_url' // not an http(s) URL, or it carries credentials
  | 'blocked' // it (or a redirect) leads to a private, loopback or link-local address
  | 'http' // the server answered an error status
  | 'too_large'
  | 'not_image' // the declared content type is not an accepted one
  | 'redirects' // too many redirects
  | 'timeout'
  | 'network';

export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
  constructor(
    readonly reason: SafeFetchFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves a host name to every address it has (as `dns.lookup(host, { all: true })`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface SafeFetchOptions {
  maxBytes: number;
  /** For the whole fetch: every redirect, the headers and the body. */
  timeoutMs: number;
  /** Accept private, loopback and link-local addresses (tests, trusted networks). Default false. */
  allowPrivate?: boolean;
  /** Content types accepted (lower case, without parameters). */
  contentTypes: readonly string[];
  maxRedirects?: number;
  /** Host resolution; default the system resolver. */
  resolve?: Resolver;
  /** Which addresses are refused; default {@link isPrivateAddress}. */
  blocked?: (address: string) => boolean;
  /** Times `timeoutMs`; default the system clock. */
  clock?: Clock;
}

const systemResolve: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

const BLOCKED_CODE = 'E_MJ_BLOCKED_ADDRESS';

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The connection's own resolver: the address checked is the address connected to, so a name that resolves to a
 * public address at one moment and a private one the next (DNS rebinding) cannot slip through.
 */
function guardedLookup(resolve: Resolver, blocked: (address: string) => boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => blocked(a.address));
        const first = addresses[0];
        if (bad || !first) {
          const err = Object.assign(new Error(`${hostname} resolves to a refused address`), {
            code: BLOCKED_CODE,
          });
          callback(err, '');
        } else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: Error) => callback(err, ''),
    );
  };
}

function isBlockedError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === BLOCKED_CODE) return true;
  }
  return false;
}

/** Checks a URL before any connection: http(s), no credentials, and not a refused IP literal. */
export function checkUrl(raw: string, blocked: (address: string) => boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError('bad_url', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SafeFetchError('bad_url', 'not http(s)');
  if (url.username || url.password) throw new SafeFetchError('bad_url', 'URL with credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // IP literals never reach the resolver, so they are judged here (the URL parser already turned 2130706433 or
  // 0x7f.1 into 127.0.0.1).
  if (/^[\d.]+$/.test(host) || host.includes(':')) {
    if (blocked(host)) throw new SafeFetchError('blocked', 'refused address');
  }
  return url;
}

/**
 * Fetches a URL a user gave, safely: http(s) only; every address it resolves to (and every redirect's) must be
 * public unless `allowPrivate`; at most `maxRedirects` redirects, each checked again; the declared content type
 * must be accepted; the body is cut at `maxBytes`; the whole fetch gives up after `timeoutMs`.
 */
export async function safeFetch(
  raw: string,
  opts: SafeFetchOptions,
): Promise<{ data: Buffer; contentType: string }> {
  const blocked = opts.allowPrivate ? () => false : (opts.blocked ?? isPrivateAddress);
  const agent = new Agent({ connect: { lookup: guardedLookup(opts.resolve ?? systemResolve, blocked) } });
  const ac = new AbortController();
  const { signal } = ac;
  const timer = (opts.clock ?? systemClock).setTimeout(
    () => ac.abort(new DOMException('safeFetch timed out', 'TimeoutError')),
    opts.timeoutMs,
  );
  try {
    let url = checkUrl(raw, blocked);
    for (let hop = 0; ; hop++) {
      const res = await request(url, { method: 'GET', dispatcher: agent, signal }).catch((err: unknown) => {
        throw failureOf(err);
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        if (hop >= (opts.maxRedirects ?? 3)) throw new SafeFetchError('redirects', 'too many redirects');
        url = checkUrl(new URL(location, url).href, blocked);
        continue;
      }
      if (res.statusCode >= 300) {
        await res.body.dump();
        throw new SafeFetchError('http', `HTTP ${res.statusCode}`);
      }
      const type = String(res.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      if (!type || !opts.contentTypes.includes(type)) {
        await res.body.dump();
        throw new SafeFetchError('not_image', `content type ${type || 'missing'}`);
      }
      return {
        data: await readBody(res.body, opts.maxBytes, res.headers['content-length']),
        contentType: type,
      };
    }
  } finally {
    timer.cancel();
    await agent.destroy().catch(() => undefined);
  }
}

async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): void; dump(): Promise<void> },
  maxBytes: number,
  declared: string | string[] | undefined,
): Promise<Buffer> {
  if (Number(declared) > maxBytes) {
    await body.dump().catch(() => undefined);
    throw new SafeFetchError('too_large', `declared ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        throw new SafeFetchError('too_large', `over ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw failureOf(err);
  }
  return Buffer.concat(chunks);
}

function failureOf(err: unknown): SafeFetchError {
  if (err instanceof SafeFetchError) return err;
  if (isBlockedError(err)) return new SafeFetchError('blocked', 'refused address');
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new SafeFetchError('timeout', 'timed out');
  return new SafeFetchError('network', 'could not connect');
}
