import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../emulators/discord/index.js';
import type { Fault } from '../../emulators/midjourney/index.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { API_KEY, alice, customIdOf, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Longer than any backoff of the tracker (60 s cap, ±10 % jitter): every job is due again after it. */
const PAST_ANY_BACKOFF = 70_000;

/** Starts `n` jobs and brings them to 20 % (one poll); resolves with their messages and task ids. */
async function jobsAt20(harness: Harness, n: number): Promise<{ msgs: FakeMessage[]; tasks: string[] }> {
  const msgs: FakeMessage[] = [];
  for (let i = 0; i < n; i++) msgs.push(await (await harness.imagine(`job number ${i}`)).message());
  await harness.submitted(n);
  const tasks = harness.sim.created.slice(-n);
  for (const task of tasks) {
    harness.sim.start(task);
    harness.sim.progress(task, 20);
  }
  await harness.poll();
  for (const m of msgs) expect(m.content).toContain('(20%)');
  return { msgs, tasks };
}

const listRequests = (harness: Harness) =>
  harness.sim.requests.filter((r) => r.endpoint === 'task/list-by-condition').length;

describe('upstream faults on reads: back off, resume, lose nothing', () => {
  it('a burst of 5xx, malformed JSON, HTML pages, slow answers and cut connections: polls back off, then every job finishes', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({
      env: { POLL_INTERVAL_MS: '1000' },
      bot: { clock, upstream: { readRetries: 0, readTimeoutMs: 200 } },
    });
    const { msgs, tasks } = await jobsAt20(h, 3);
    let answerLate: () => void = () => undefined;
    const late = new Promise<void>((resolve) => (answerLate = resolve));
    const burst: Array<[string, Fault]> = [
      ['HTTP 500', { http: 500, body: '{"code":9,"description":"提交失败，系统异常"}' }],
      ['malformed JSON', { http: 200, body: '[{"id": "1", "status": ', contentType: 'application/json' }],
      [
        'HTML error page',
        { http: 502, body: '<html><h1>502 Bad Gateway</h1></html>', contentType: 'text/html' },
      ],
      ['HTML with 200', { http: 200, body: '<!DOCTYPE html><p>maintenance</p>', contentType: 'text/html' }],
      ['slow answer', { until: late }], // answered only after the bot gave up on it
      ['connection cut', { destroy: true }],
    ];
    for (const [i, [name, fault]] of burst.entries()) {
      h.sim.fault({ endpoint: 'task/list-by-condition' }, fault);
      for (const task of tasks) h.sim.progress(task, 30 + i); // would show if it were read
      const before = listRequests(h);
      await clock.advance(PAST_ANY_BACKOFF);
      const tick = h.poll();
      if (name === 'slow answer') {
        // The read timeout runs on the bot's clock: the request reached the simulator, then 200 ms pass.
        await h.sim.waitForRequest(() => listRequests(h as Harness) === before + 1);
        await clock.advance(200);
        await tick;
        answerLate();
      } else await tick;
      expect(listRequests(h), name).toBe(before + 1);
      expect(h.bot.tracker.interval(), name).toBe(Math.min(60_000, 1000 * 2 ** Math.min(i + 1, 5)));
      for (const m of msgs) expect(m.content, name).toContain('(20%)'); // no false failure, no lost job
      await h.poll(); // not due yet: the jobs back off instead of hammering the upstream
      expect(listRequests(h), name).toBe(before + 1);
    }
    expect(h.logs.filter((l) => l.includes('polling the upstream failed; backing off'))).toHaveLength(6);

    await clock.advance(PAST_ANY_BACKOFF);
    await h.poll();
    for (const m of msgs) expect(m.content).toContain('(35%)');
    for (const task of tasks) h.sim.succeed(task);
    await clock.advance(PAST_ANY_BACKOFF);
    await h.poll();
    for (const m of msgs) expect(labelsOf(m)).toEqual(GRID_LABELS);
    expect(h.bot.tracker.interval()).toBe(1000);
    expect(h.sim.submits('imagine')).toHaveLength(3);
  });

  it('a single failed read is retried at once by the client (backoff with jitter) and the tick succeeds', async () => {
    h = await Harness.start({ bot: { upstream: { readRetries: 2, retryBaseMs: 1, retryMaxMs: 2 } } });
    const { msgs, tasks } = await jobsAt20(h, 1);
    h.sim.fault({ endpoint: 'task/list-by-condition' }, { http: 503, body: 'Service Unavailable' });
    h.sim.progress(tasks[0] ?? '', 60);
    await h.poll();
    expect(msgs[0]?.content).toContain('(60%)');
    await h.waitForLog('mj: read failed, retrying', { endpoint: 'task/list-by-condition' });
  });

  it('refused connections: reads back off and resume; a submit that could not be sent says so and offers Retry', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ gate: true, bot: { clock, upstream: { readRetries: 0 } } });
    const gate = h.gate!;
    const { msgs, tasks } = await jobsAt20(h, 1);
    await gate.shut();
    await settle();
    await clock.advance(PAST_ANY_BACKOFF);
    await h.poll();
    expect(msgs[0]?.content).toContain('(20%)');
    const warn = await h.waitForLog('polling the upstream failed; backing off');
    // The error is logged as an object with its stack (pino's err serializer), not flattened to a string.
    expect(JSON.stringify(warn.err)).toContain('ECONNREFUSED');
    expect((warn.err as { stack?: string }).stack).toMatch(/\n\s+at /);

    const refused = await (await h.imagine('while the upstream is down')).message();
    await h.submitFailed('unavailable');
    await h.waitFor((m) => m.id === refused.id && m.content.includes('(Failed)'));
    expect(refused.content).toContain('Midjourney could not be reached. Try again in a moment.');
    expect(labelsOf(refused)).toEqual(['Retry']);
    expect(h.sim.submits('imagine')).toHaveLength(1); // it never reached the upstream

    await gate.reopen();
    h.sim.succeed(tasks[0] ?? '');
    await clock.advance(PAST_ANY_BACKOFF);
    await h.poll();
    expect(labelsOf(msgs[0] as FakeMessage)).toEqual(GRID_LABELS);
    const retried = await h.discord
      .clickButton({ messageId: refused.id, customId: customIdOf(refused, 'Retry'), user: alice })
      .message();
    await h.submitted(2);
    expect(retried.content).toContain('while the upstream is down');
  });
});

describe('a refused key (401/403)', () => {
  it('tells the user plainly, logs at error level what the operator must fix, and shows the key nowhere', async () => {
    h = await Harness.start({ sim: { apiKey: 'sk-the-key-the-upstream-expects' } });
    const msg = await (await h.imagine('a red fox in the snow')).message();
    const line = await h.waitForLog(
      'the upstream refused the API key (MJ_API_KEY): check the key and its permissions',
    );
    expect(line.level).toBe(50);
    expect(line.httpStatus).toBe(401);
    await h.waitFor((m) => m.id === msg.id && m.content.includes('(Failed)'));
    expect(msg.content).toContain("The bot's Midjourney key was refused. Please tell the server owner.");
    expect(labelsOf(msg)).toEqual([]); // retrying cannot help until the operator acts
    const everything = [...h.logs, ...h.discord.calls.map((c) => JSON.stringify(c.body ?? null))].join('\n');
    expect(everything).not.toContain(API_KEY);
  });

  it('a 403 whose body echoes the key, on a submit and while polling, is logged without it', async () => {
    h = await Harness.start();
    const { msgs } = await jobsAt20(h, 1);
    const echo = `Forbidden: token ${API_KEY} is disabled`;
    h.sim.fault({ endpoint: 'task/list-by-condition' }, { http: 403, body: echo, contentType: 'text/plain' });
    await h.poll();
    const polling = await h.waitForLog(
      'the upstream refused the API key (MJ_API_KEY) while polling: check the key and its permissions',
    );
    expect(polling.level).toBe(50);
    expect(msgs[0]?.content).toContain('(20%)'); // the job itself is kept, not failed
    h.sim.fault({ endpoint: 'submit/imagine' }, { http: 403, body: echo, contentType: 'text/plain' });
    const refused = await (await h.imagine('another')).message();
    await h.submitFailed('auth');
    await h.waitFor((m) => m.id === refused.id && m.content.includes('(Failed)'));
    expect(refused.content).toContain('key was refused');
    const everything = [...h.logs, ...h.discord.calls.map((c) => JSON.stringify(c.body ?? null))].join('\n');
    expect(everything).toContain('Forbidden: token');
    expect(everything).not.toContain(API_KEY);
  });
});

describe('a submit answered badly', () => {
  it.each([
    [
      'an HTML 502 page',
      { http: 502, body: '<html><h1>502 Bad Gateway</h1></html>', contentType: 'text/html' },
    ],
    ['malformed JSON', { http: 200, body: '{"code":1,"result":', contentType: 'application/json' }],
    ['a cut connection', { destroy: true }],
  ] as Array<[string, Fault]>)(
    '%s is an unknown outcome: the user is told it may exist, nothing is re-sent',
    async (_n, fault) => {
      h = await Harness.start();
      h.sim.fault({ endpoint: 'submit/imagine' }, fault);
      const msg = await (await h.imagine('a red fox in the snow')).message();
      await h.submitFailed('unknown_outcome');
      await h.waitFor((m) => m.id === msg.id && m.content.includes('(Failed)'));
      expect(msg.content).toContain('may still be making this job');
      expect(labelsOf(msg)).toEqual(['Retry']);
      await h.poll();
      expect(h.sim.submits('imagine')).toHaveLength(1);
    },
  );

  it('a slow but successful submit is tracked normally', async () => {
    h = await Harness.start();
    let answer: () => void = () => undefined;
    h.sim.fault(
      { endpoint: 'submit/imagine' },
      { until: new Promise<void>((resolve) => (answer = resolve)) },
    );
    const reply = h.imagine('patience');
    await h.sim.waitForRequest((r) => r.endpoint === 'submit/imagine'); // held: the answer is late
    answer();
    const msg = await (await reply).message();
    await h.submitted();
    h.sim.complete(h.sim.lastTaskId());
    await h.poll();
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
  });
});
