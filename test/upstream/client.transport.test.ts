import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { Agent, MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { MjClient } from '../../src/upstream/client.js';
import { FakeClock } from '../support/fakeClock.js';
import { clientFor, expectMjError, InstantClock, memoryLogger } from './helpers.js';

const SECRET = 'sk-SECRET-7f3a9c1e5b';

let sim: MjSimulator;
beforeEach(async () => {
  sim = await MjSimulator.start();
});
afterEach(async () => {
  await sim.close();
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function expectNoSecret(err: unknown, logs: unknown[] = []): void {
  const e = err as Error;
  for (const text of [String(e), e.message, e.stack ?? '', JSON.stringify(e), JSON.stringify(logs)]) {
    expect(text).not.toContain(SECRET);
  }
}

describe('MjClient transport and auth', () => {
  it('401 → auth; the key appears nowhere in the error or the logs', async () => {
    const logger = memoryLogger();
    const client = clientFor(sim, { apiKey: SECRET, logger });
    const err = await expectMjError(client.imagine({ prompt: 'x' }), 'auth');
    expect(err).toMatchObject({ httpStatus: 401, retryable: false });
    expect(sim.submits()[0]?.authorization).toBe(`Bearer ${SECRET}`);
    expectNoSecret(err, logger.lines);
    const readErr = await expectMjError(client.fetch('123'), 'auth');
    expect(sim.requests.filter((r) => r.endpoint === 'task/fetch')).toHaveLength(1);
    expectNoSecret(readErr, logger.lines);
    expect(JSON.stringify(client)).not.toContain(SECRET);
    expect(inspect(client, { depth: 5 })).not.toContain(SECRET);
  });

  it('an upstream echoing the key in its error text is redacted', async () => {
    sim.fault({}, { http: 403, body: `Invalid token ${SECRET}`, contentType: 'text/plain' });
    const err = await expectMjError(clientFor(sim, { apiKey: SECRET }).imagine({ prompt: 'x' }), 'auth');
    expect(err.description).toBe('Invalid token ***');
    expectNoSecret(err);
  });

  it('HTML 502 on a submit → unknown_outcome, sent exactly once', async () => {
    sim.fault({ endpoint: 'submit/imagine' }, { http: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'unknown_outcome');
    expect(err).toMatchObject({ httpStatus: 502, description: '', retryable: false });
    expect(sim.submits()).toHaveLength(1);
  });

  it.each([
    ['HTML with 200', { http: 200, body: '<!doctype html><p>maintenance</p>' }],
    ['malformed JSON with 200', { http: 200, body: '{"code":1,"result":', contentType: 'application/json' }],
    [
      'code 1 without a task id',
      { http: 200, body: '{"code":1,"description":"ok"}', contentType: 'application/json' },
    ],
    ['500 with a {success:false} body', { http: 500, body: '{"success":false,"message":"操作失败"}' }],
  ])('%s on a submit → unknown_outcome, sent once', async (_name, fault) => {
    sim.fault({ endpoint: 'submit/action' }, fault);
    await expectMjError(clientFor(sim).action({ taskId: '1', customId: 'x' }), 'unknown_outcome');
    expect(sim.submits()).toHaveLength(1);
  });

  it('a submit that never answers → unknown_outcome after timeoutMs on the injected clock, sent once', async () => {
    sim.nextSubmit({ hang: true });
    const clock = new FakeClock();
    const failed = expectMjError(
      clientFor(sim, { clock, timeoutMs: 150 }).imagine({ prompt: 'x' }),
      'unknown_outcome',
    );
    await sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    await clock.advance(149);
    expect(clock.pending).toBe(1); // the request's timer, not yet due
    await clock.advance(1);
    const err = await failed;
    expect(err.message).toContain('150 ms');
    expect(sim.submits()).toHaveLength(1);
  });

  it('a socket destroyed after the submit was read → unknown_outcome, sent once', async () => {
    sim.nextSubmit({ destroy: true });
    await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'unknown_outcome');
    expect(sim.submits()).toHaveLength(1);
  });

  it('connection refused → network (nothing was sent); reads retry it', async () => {
    const clock = new InstantClock();
    const client = new MjClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      apiKey: SECRET,
      mode: 'fast',
      clock,
    });
    const err = await expectMjError(client.imagine({ prompt: 'x' }), 'network');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('ECONNREFUSED');
    expectNoSecret(err);
    expect(clock.delays).toEqual([]);
    await expectMjError(client.fetch('1'), 'network');
    expect(clock.delays).toHaveLength(3);
  });

  it('uses an injected dispatcher', async () => {
    const agent = new Agent({ connections: 1 });
    try {
      const res = await clientFor(sim, { dispatcher: agent }).imagine({ prompt: 'x' });
      expect(res.kind).toBe('accepted');
    } finally {
      await agent.close();
    }
  });

  it('DNS failure → network; a reset after sending → unknown_outcome (submit) / network (read)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://upstream.invalid');
    const err = (code: string) => Object.assign(new Error(code), { code });
    pool.intercept({ path: '/mj-fast/mj/submit/imagine', method: 'POST' }).replyWithError(err('ENOTFOUND'));
    pool.intercept({ path: '/mj-fast/mj/submit/imagine', method: 'POST' }).replyWithError(err('ECONNRESET'));
    pool.intercept({ path: '/mj-fast/mj/task/1/fetch', method: 'GET' }).replyWithError(err('ECONNRESET'));
    const client = new MjClient({
      baseUrl: 'http://upstream.invalid',
      apiKey: SECRET,
      mode: 'fast',
      readRetries: 0,
      dispatcher: agent,
    });
    try {
      await expectMjError(client.imagine({ prompt: 'x' }), 'network');
      await expectMjError(client.imagine({ prompt: 'x' }), 'unknown_outcome');
      await expectMjError(client.fetch('1'), 'network');
    } finally {
      await agent.close();
    }
  });
});
