import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../../src/config.js';
import { withCallbackSecret } from '../../src/http/secret.js';
import { type Health, HttpServer } from '../../src/http/server.js';
import type { MjTask } from '../../src/upstream/types.js';
import { silentLogger } from '../support/jobs.js';

const SECRET = 'unit-secret-0123456789';
let server: HttpServer | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(
  health: Health = { ok: true, discord: 'ready', store: 'ok', activeJobs: 0, shards: [0], leases: 0 },
) {
  const received: MjTask[] = [];
  server = new HttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    callbackSecret: SECRET,
    maxBodyBytes: 1024,
    onCallback: async (task) => {
      received.push(task);
      return task.id === 'known' ? 'applied' : 'ignored';
    },
    health: async () => health,
  });
  const port = await server.start();
  return { base: `http://127.0.0.1:${port}`, received };
}

/** POSTs `chunks` without a content-length (chunked), as a client that lies about nothing but sends a lot. */
function postChunked(url: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) =>
      String(err).includes('EPIPE') || String(err).includes('ECONNRESET') ? null : reject(err),
    );
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('HttpServer', () => {
  it('applies a task callback with the right secret (202) and ignores one it does not track (204)', async () => {
    const { base, received } = await start();
    const post = (id: string) =>
      fetch(`${base}/hooks/mj/${SECRET}`, {
        method: 'POST',
        body: JSON.stringify({ id, status: 'SUCCESS' }),
      });
    expect((await post('known')).status).toBe(202);
    expect((await post('other')).status).toBe(204);
    expect(received.map((t) => [t.id, t.status])).toEqual([
      ['known', 'SUCCESS'],
      ['other', 'SUCCESS'],
    ]);
  });

  it('refuses a wrong secret before reading the body, and never hands it on', async () => {
    const { base, received } = await start();
    for (const wrong of ['', 'x', `${SECRET}x`, SECRET.slice(1)]) {
      const res = await fetch(`${base}/hooks/mj/${wrong}`, { method: 'POST', body: '{"id":"known"}' });
      expect(res.status).toBe(403);
    }
    expect(received).toHaveLength(0);
  });

  it('refuses a body over the limit, announced or streamed, with 413', async () => {
    const { base, received } = await start();
    const big = JSON.stringify({ id: 'known', pad: 'x'.repeat(2_000) });
    expect((await fetch(`${base}/hooks/mj/${SECRET}`, { method: 'POST', body: big })).status).toBe(413);
    const streamed = await postChunked(`${base}/hooks/mj/${SECRET}`, [
      '{"id":"known","pad":"',
      'y'.repeat(4_000),
    ]);
    expect(streamed).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('refuses what is not a task JSON with 400', async () => {
    const { base, received } = await start();
    for (const body of ['', 'null', '[]', '"text"', '{"status":"SUCCESS"}', '{"id":""}', '{oops']) {
      const res = await fetch(`${base}/hooks/mj/${SECRET}`, { method: 'POST', body });
      expect(res.status, body).toBe(400);
    }
    expect(received).toHaveLength(0);
  });

  it('answers /healthz with 200 when ready and 503 when not', async () => {
    const ready = await start();
    const res = await fetch(`${ready.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      discord: 'ready',
      store: 'ok',
      activeJobs: 0,
      shards: [0],
      leases: 0,
    });
    await server?.stop();
    const notReady = await start({
      ok: false,
      discord: 'connecting',
      store: 'ok',
      activeJobs: 3,
      shards: [0],
      leases: 0,
    });
    const down = await fetch(`${notReady.base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, discord: 'connecting' });
  });
});

describe('the callback secret', () => {
  const env = { DISCORD_TOKEN: 'discord-token-value', MJ_BASE_URL: 'http://127.0.0.1:1', MJ_API_KEY: 'sk-x' };

  it('is generated once, stored for the bot only, reused after a restart, and scrubbed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mj-secret-'));
    dirs.push(dir);
    const config = loadConfig({
      ...env,
      PUBLIC_URL: 'https://bot.example.com',
      STORE_URL: `sqlite://${dir}/b.sqlite`,
    });
    expect(config.callbackSecret).toBeNull();
    const first = withCallbackSecret(config);
    expect(first.callbackSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(join(dir, 'callback-secret'), 'utf8').trim()).toBe(first.callbackSecret);
    expect(statSync(join(dir, 'callback-secret')).mode & 0o777).toBe(0o600);
    expect(withCallbackSecret(config).callbackSecret).toBe(first.callbackSecret);
    expect(secretsOf(first)).toContain(first.callbackSecret);
  });

  it('uses CALLBACK_SECRET when given, and nothing when callbacks are off', () => {
    const given = loadConfig({ ...env, PUBLIC_URL: 'https://bot.example.com', CALLBACK_SECRET: SECRET });
    expect(withCallbackSecret(given).callbackSecret).toBe(SECRET);
    expect(given.httpPort).toBe(8080);
    const off = loadConfig(env);
    expect(withCallbackSecret(off).callbackSecret).toBeNull();
    expect(off.httpPort).toBeNull();
    expect(() => loadConfig({ ...env, CALLBACK_SECRET: 'short' })).toThrow(/CALLBACK_SECRET/);
  });
});
