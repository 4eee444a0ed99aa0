import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjClient, type MjClientOptions } from '../../src/upstream/client.js';
import { parseRetryAfter } from '../../src/upstream/retry.js';
import { FakeClock } from '../support/fakeClock.js';
import { expectMjError, InstantClock, memoryLogger } from './helpers.js';

/** Every request goes to this mock origin; nothing leaves the process. */
const ORIGIN = 'http://127.0.0.1:9';
const FETCH = '/mj-fast/mj/task/1/fetch';
const TASK = JSON.stringify({ id: '1', status: 'SUCCESS', progress: '100%' });
const JSON_TYPE = { 'content-type': 'application/json' };

let agent: MockAgent;
let hits: string[];
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  hits = [];
});
afterEach(async () => {
  await agent.close();
});

/** Queues one answer for `path` (any method), counting the requests that reach it. */
function answer(path: string, status: number, body: string, headers: Record<string, string> = {}): void {
  agent
    .get(ORIGIN)
    .intercept({ path, method: /GET|POST/ })
    .reply(() => {
      hits.push(path);
      return { statusCode: status, data: body, responseOptions: { headers: { ...JSON_TYPE, ...headers } } };
    });
}

function client(overrides: Partial<MjClientOptions> = {}): MjClient {
  return new MjClient({
    baseUrl: ORIGIN,
    apiKey: 'test-key',
    mode: 'fast',
    dispatcher: agent,
    random: () => 1,
    clock: new InstantClock(),
    ...overrides,
  });
}

describe('Retry-After on reads', () => {
  it('503 with Retry-After in seconds → the next attempt waits that long, not the backoff', async () => {
    const clock = new InstantClock();
    const logger = memoryLogger();
    answer(FETCH, 503, 'busy', { 'retry-after': '7' });
    answer(FETCH, 200, TASK);
    expect((await client({ clock, logger }).fetch('1'))?.status).toBe('SUCCESS');
    expect(clock.delays).toEqual([7_000]);
    expect(hits).toHaveLength(2);
    const warn = logger.lines.find((l) => l.level === 'warn');
    expect(warn?.obj).toMatchObject({ httpStatus: 503, delayMs: 7_000, retryAfterMs: 7_000 });
  });

  it('429 with Retry-After as an HTTP date → waits until that date on the injected clock', async () => {
    const clock = new InstantClock(Date.UTC(2025, 0, 1, 12, 0, 0));
    answer('/mj-fast/mj/task/list-by-condition', 429, '', {
      'retry-after': new Date(Date.UTC(2025, 0, 1, 12, 0, 12)).toUTCString(),
    });
    answer('/mj-fast/mj/task/list-by-condition', 200, `[${TASK}]`);
    expect(await client({ clock }).fetchMany(['1'])).toHaveLength(1);
    expect(clock.delays).toEqual([12_000]);
  });

  it('the wait is capped (retryAfterMaxMs, default 60 s)', async () => {
    const clock = new InstantClock();
    for (let i = 0; i < 2; i++) answer(FETCH, 503, 'busy', { 'retry-after': '3600' });
    answer(FETCH, 200, TASK);
    await client({ clock, readRetries: 2 }).fetch('1');
    answer(FETCH, 429, 'slow down', { 'retry-after': '3600' });
    answer(FETCH, 200, TASK);
    await client({ clock, retryAfterMaxMs: 5_000 }).fetch('1');
    expect(clock.delays).toEqual([60_000, 60_000, 5_000]);
  });

  it('an unreadable Retry-After, or one on another status, falls back to the backoff', async () => {
    const clock = new InstantClock();
    answer(FETCH, 503, 'busy', { 'retry-after': 'soon' });
    answer(FETCH, 502, 'bad gateway', { 'retry-after': '7' });
    answer(FETCH, 200, TASK);
    await client({ clock, retryBaseMs: 100 }).fetch('1');
    expect(clock.delays).toEqual([100, 200]);
  });

  it('the retry sleeps on the injected clock: nothing is sent again until it has moved', async () => {
    const clock = new FakeClock();
    answer(FETCH, 503, 'busy', { 'retry-after': '7' });
    answer(FETCH, 200, TASK);
    let done = false;
    const read = client({ clock })
      .fetch('1')
      .finally(() => {
        done = true;
      });
    await clock.armed(7_000); // the retry's sleep (the request's own timer is gone with its answer)
    expect(clock.pending).toBe(1);
    await clock.advance(6_999);
    expect([hits.length, done]).toEqual([1, false]);
    await clock.advance(1);
    expect((await read)?.id).toBe('1');
    expect(hits).toHaveLength(2);
  });
});

describe('Retry-After on submits', () => {
  it('a 429 with Retry-After is reported, never retried', async () => {
    const clock = new InstantClock();
    answer('/mj-fast/mj/submit/imagine', 429, 'Too Many Requests', { 'retry-after': '30' });
    const err = await expectMjError(client({ clock }).imagine({ prompt: 'x' }), 'unavailable');
    expect(err).toMatchObject({ httpStatus: 429, retryAfterMs: 30_000, retryable: true });
    expect(hits).toHaveLength(1);
    expect(clock.delays).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['1.5', 1_500],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 11:00:00 GMT', 0], // already past
    ['soon', null],
    ['-5', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
