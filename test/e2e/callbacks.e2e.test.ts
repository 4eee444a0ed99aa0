import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../emulators/freePort.js';
import { Harness, labelsOf } from '../support/harness.js';

const SECRET = 'cb-secret-0123456789abcdef';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The real bot with callbacks on: PUBLIC_URL points at its own HTTP server; the simulator calls back. */
async function withCallbacks(): Promise<{ h: Harness; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const harness = await Harness.start({
    sim: { notify: true },
    env: { PUBLIC_URL: base, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', CALLBACK_SECRET: SECRET },
  });
  return { h: harness, base };
}

function post(url: string, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('upstream callbacks', () => {
  it('puts the callback URL on the submit and finishes the job the moment the callback arrives', async () => {
    const started = await withCallbacks();
    h = started.h;
    const handle = await h.imagine('a heron at dawn');
    const msg = await handle.message();
    await h.submitted();
    expect(h.sim.submits('imagine')[0]?.body.notifyHook).toBe(`${started.base}/hooks/mj/${SECRET}`);
    const taskId = h.sim.lastTaskId();

    h.sim.start(taskId);
    h.sim.progress(taskId, 46);
    await h.waitFor((m) => m.id === msg.id && m.content.includes('(46%)'));
    h.sim.succeed(taskId);
    await h.waitFor((m) => m.id === msg.id && m.attachments.length > 0);
    expect(labelsOf(msg)).toEqual(expect.arrayContaining(['U1', 'U4', 'V1', 'V4']));
    expect(msg.attachments).toHaveLength(1);
    // no poll ran (the harness drives polling by hand): the callbacks alone brought the job to its end
    expect(h.sim.requests.filter((r) => r.endpoint.startsWith('task/'))).toHaveLength(0);
    const answers = await Promise.all(h.sim.notifications.map((n) => n.answer));
    expect(answers).toEqual([202, 202, 202]);
    expect(h.bot.tracker.has((await h.bot.ctx.store.byTask(taskId))?.id ?? '')).toBe(false);
    expect(h.logs.join('\n')).not.toContain(SECRET);
  });

  it('refuses a callback with the wrong secret and leaves the job as it was', async () => {
    const started = await withCallbacks();
    h = started.h;
    const handle = await h.imagine('a quiet harbour');
    const msg = await handle.message();
    await h.submitted();
    const taskId = h.sim.lastTaskId();
    const forged = JSON.stringify({
      id: taskId,
      status: 'SUCCESS',
      progress: '100%',
      imageUrl: 'http://x/y.png',
    });

    const res = await post(`${started.base}/hooks/mj/not-the-secret-at-all`, forged);
    expect(res.status).toBe(403);
    await h.waitForLog('callback refused: wrong secret');
    const job = await h.bot.ctx.store.byTask(taskId);
    expect(job?.phase).toBe('tracking');
    expect(msg.content).toContain('Waiting to start');
  });

  it('refuses oversized and malformed bodies, and ignores tasks it does not track', async () => {
    const started = await withCallbacks();
    h = started.h;
    const hook = `${started.base}/hooks/mj/${SECRET}`;

    expect((await post(hook, JSON.stringify({ id: '1', pad: 'x'.repeat(300 * 1024) }))).status).toBe(413);
    expect((await post(hook, '{"id": "1", "status": ')).status).toBe(400);
    expect((await post(hook, JSON.stringify([{ id: '1' }]))).status).toBe(400);
    expect((await post(hook, JSON.stringify({ status: 'SUCCESS' }))).status).toBe(400);
    const unknown = JSON.stringify({ id: '1700000000000999', status: 'SUCCESS', progress: '100%' });
    expect((await post(hook, unknown)).status).toBe(204);
    expect((await fetch(hook)).status).toBe(405);
    expect((await fetch(`${started.base}/somewhere/else`)).status).toBe(404);

    // a finished job is no longer tracked: a late callback cannot reopen it
    await h.imagine('a late one');
    await h.submitted();
    const taskId = h.sim.lastTaskId();
    h.sim.complete(taskId);
    await h.waitFor((m) => m.content.includes('a late one') && m.attachments.length > 0);
    const late = JSON.stringify({ id: taskId, status: 'IN_PROGRESS', progress: '10%' });
    expect((await post(hook, late)).status).toBe(204);
    expect((await h.bot.ctx.store.byTask(taskId))?.phase).toBe('succeeded');
  });

  it('reports readiness on /healthz', async () => {
    const started = await withCallbacks();
    h = started.h;
    await h.imagine('one active job');
    await h.submitted();
    const res = await fetch(`${started.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      discord: 'ready',
      store: 'ok',
      activeJobs: 1,
      shards: [0],
      leases: 0,
    });
  });
});
