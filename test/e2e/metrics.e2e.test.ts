import { afterEach, describe, expect, it } from 'vitest';
import { finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withHttp(): Promise<{ h: Harness; base: string }> {
  const harness = await Harness.start({ env: { HTTP_PORT: '0', HTTP_HOST: '127.0.0.1' } });
  return { h: harness, base: `http://127.0.0.1:${harness.bot.http?.port}` };
}

/** The value of one sample of the Prometheus text, e.g. `mj_jobs{phase="tracking"}`; null when absent. */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

describe('GET /metrics and /healthz (operators)', () => {
  it('counts jobs, upstream calls, Discord writes and 429s in Prometheus format', async () => {
    const started = await withHttp();
    h = started.h;
    const scrape = async () => {
      const res = await fetch(`${started.base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    await (await h.imagine('a red fox in the snow')).message();
    await h.submitted();
    let text = await scrape();
    expect(sample(text, 'mj_jobs{phase="tracking"}')).toBe(1);
    expect(sample(text, 'mj_upstream_requests_total{endpoint="imagine",outcome="ok"}')).toBe(1);
    expect(sample(text, 'mj_upstream_request_seconds_count{endpoint="imagine",outcome="ok"}')).toBe(1);

    // One 429 from Discord on the next message edit: discord.js waits and writes again.
    h.expectDiscordError(429);
    h.discord.failNext(
      { method: 'PATCH' },
      { status: 429, message: 'You are being rate limited.', headers: { 'retry-after': '0' } },
    );
    await finishTask(h);
    text = await scrape();
    expect(sample(text, 'mj_jobs{phase="tracking"}')).toBe(0);
    expect(sample(text, 'mj_jobs_finished_total{outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'mj_upstream_requests_total{endpoint="fetchMany",outcome="ok"}')).toBeGreaterThan(0);
    expect(sample(text, 'mj_discord_requests_total{method="PATCH",status="429"}')).toBe(1);
    expect(sample(text, 'mj_discord_requests_total{method="PATCH",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'mj_discord_rate_limited_total{kind="answer"}')).toBe(1);
    expect(sample(text, 'mj_lease_takeovers_total')).toBe(0);
    expect(sample(text, 'mj_shared_reader')).toBe(0); // one process (SQLite) reads its own tasks
    expect(text).toContain('# TYPE mj_callbacks_total counter');
  });

  it('/healthz names the shards, the leases held and the store health', async () => {
    const started = await withHttp();
    h = started.h;
    const res = await fetch(`${started.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      discord: 'ready',
      store: 'ok',
      activeJobs: 0,
      shards: [0],
      leases: 0,
    });
    await h.bot.ctx.store.close(); // the store stops answering
    const down = await fetch(`${started.base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, store: 'error' });
  });
});
