import { afterEach, describe, expect, it } from 'vitest';
import { instrumentUpstream } from '../../src/http/observe.js';
import { HttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/metrics.js';
import { MjError } from '../../src/upstream/errors.js';
import { silentLogger } from '../support/jobs.js';

const SECRET = 'unit-secret-0123456789';
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('metrics', () => {
  it('counts every callback by outcome and serves /metrics (GET only)', async () => {
    const metrics = createMetrics({
      jobsNow: async () => ({ queued: 2, tracking: 5 }),
      takeovers: () => 3,
      reader: () => true,
    });
    server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      callbackSecret: SECRET,
      maxBodyBytes: 64,
      onCallback: async (task) => (task.id === 'known' ? 'applied' : 'ignored'),
      health: async () => ({
        ok: true,
        discord: 'ready',
        store: 'ok',
        activeJobs: 0,
        shards: [0],
        leases: 0,
      }),
      metrics,
    });
    const base = `http://127.0.0.1:${await server.start()}`;
    const post = (path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', body });
    expect((await post(`/hooks/mj/${SECRET}`, '{"id":"known","status":"SUCCESS"}')).status).toBe(202);
    expect((await post(`/hooks/mj/${SECRET}`, '{"id":"other","status":"SUCCESS"}')).status).toBe(204);
    expect((await post(`/hooks/mj/${SECRET}`, 'not json')).status).toBe(400);
    expect((await post(`/hooks/mj/${SECRET}`, 'x'.repeat(200))).status).toBe(413);
    expect((await post('/hooks/mj/wrong-secret-000000', '{}')).status).toBe(403);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const outcome of ['applied', 'ignored', 'invalid', 'too_large', 'forbidden'])
      expect(text).toContain(`mj_callbacks_total{outcome="${outcome}"} 1`);
    expect(text).toContain('mj_jobs{phase="queued"} 2');
    expect(text).toContain('mj_jobs{phase="tracking"} 5');
    expect(text).toContain('mj_lease_takeovers_total 3');
    expect(text).toContain('mj_shared_reader 1');
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('times upstream calls by endpoint and outcome, without changing what they return or throw', async () => {
    const metrics = createMetrics();
    const client = {
      calls: 0,
      async fetch(id: string) {
        this.calls += 1;
        if (id === 'bad') throw new MjError({ kind: 'not_found' });
        return { id };
      },
      baseUrl: 'http://x',
    };
    const wrapped = instrumentUpstream(client, metrics);
    expect(await wrapped.fetch('t1')).toEqual({ id: 't1' });
    await expect(wrapped.fetch('bad')).rejects.toMatchObject({ kind: 'not_found' });
    expect(wrapped.baseUrl).toBe('http://x');
    expect(client.calls).toBe(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('mj_upstream_requests_total{endpoint="fetch",outcome="ok"} 1');
    expect(text).toContain('mj_upstream_requests_total{endpoint="fetch",outcome="not_found"} 1');
    expect(text).toContain('mj_upstream_request_seconds_count{endpoint="fetch",outcome="not_found"} 1');
  });
});
