/**
 * Interaction tokens and deadlines as Discord keeps them, on the fake's clock: expiry told by status alone or
 * by code alone, 10015, the 15-minute life with the bot's 30 s margin, and the 3 s rule with a slow download.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../emulators/discord/index.js';
import { makePng } from '../../emulators/midjourney/index.js';
import { FakeClock } from '../support/fakeClock.js';
import { alice, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CHANNEL_ROUTE = '/channels/:channel/messages/:message';
const WEBHOOK_ROUTE = '/webhooks/:app/:token/messages/:message';

/** An /imagine whose task runs at 40 %, shown through the interaction token. */
async function running(harness: Harness, prompt: string) {
  const handle = await harness.imagine(prompt);
  const msg = await handle.message();
  await harness.submitted();
  const task = harness.sim.lastTaskId();
  harness.sim.start(task);
  harness.sim.progress(task, 40);
  await harness.poll();
  return { msg, task };
}

const editsSince = (harness: Harness, from: number) =>
  harness.discord.calls.slice(from).filter((c) => c.method === 'PATCH');

describe('an expired token is told by its status or by its code', () => {
  it.each<[string, Fault]>([
    ['401 without 50027', { status: 401, code: 0, message: '401: Unauthorized' }],
    ['50027 with 404', { status: 404, code: 50027, message: 'Invalid Webhook Token' }],
    ['10015 Unknown Webhook', { status: 404, code: 10015, message: 'Unknown Webhook' }],
  ])('%s: the bot goes on through the channel', async (_name, fault) => {
    h = await Harness.start();
    const { msg, task } = await running(h, 'a token that dies');
    h.discord.failNext({ method: 'PATCH', pathIncludes: '/webhooks/' }, fault);
    const from = h.discord.calls.length;
    h.sim.succeed(task);
    await h.poll();
    const edits = editsSince(h, from);
    expect(edits.map((c) => [c.route, c.status])).toEqual([
      [WEBHOOK_ROUTE, fault.status],
      [CHANNEL_ROUTE, 200],
    ]);
    expect(msg.content).toBe(`**a token that dies** - <@${alice.id}> (fast)`);
  });
});

describe('the 15-minute token on the clock', () => {
  it('past 15 minutes the bot edits through the channel without trying the dead token', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock } });
    const { msg, task } = await running(h, 'a long job');
    await clock.advance(15 * 60_000 + 1_000);
    const from = h.discord.calls.length;
    h.sim.succeed(task);
    await h.poll();
    expect(editsSince(h, from).map((c) => c.route)).toEqual([CHANNEL_ROUTE]);
    expect(msg.content).toBe(`**a long job** - <@${alice.id}> (fast)`);
  });

  it('keeps 30 s in reserve: 20 s before the end the token is no longer used', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock } });
    const { task } = await running(h, 'nearly expired');
    await clock.advance(15 * 60_000 - 20_000);
    const from = h.discord.calls.length;
    h.sim.succeed(task);
    await h.poll();
    expect(editsSince(h, from).map((c) => c.route)).toEqual([CHANNEL_ROUTE]);
  });
});

describe('the 3 s acknowledgement', () => {
  it('a slow attachment download does not delay the acknowledgement', async () => {
    h = await Harness.start();
    const slow = h.discord.holdDownloads();
    const png = makePng(8, 8);
    const handle = await h.imagine('in this style', alice, {
      attachments: [{ filename: 'ref.png', contentType: 'image/png', data: png, option: 'image' }],
    });
    await slow.requested;
    await h.discordClock.advance(5_000); // the CDN takes 5 s
    slow.release();
    const ack = await h.discord.waitForCall((c) => c.route.endsWith('/callback'));
    expect(ack.status).toBe(204);
    expect((await handle.response).type).toBe(5);
    await h.submitted();
  });
});
