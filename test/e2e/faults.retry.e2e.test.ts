import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { FakeClock } from '../support/fakeClock.js';
import {
  alice,
  bob,
  buttonsOf,
  customIdOf,
  finishTask,
  GRID_LABELS,
  Harness,
  labelsOf,
} from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Retry: a new job, only on a click', () => {
  it('a failed /imagine is never re-sent by itself; Retry starts a new job in a new message that finishes', async () => {
    h = await Harness.start();
    const failed = await (await h.imagine('a red fox in the snow')).message();
    await h.submitted();
    h.sim.fail(h.sim.lastTaskId(), 'Midjourney internal error');
    await h.poll();
    expect(failed.content).toContain('Midjourney could not complete the job.');
    expect(labelsOf(failed)).toEqual(['Retry']);
    await h.poll();
    await h.poll();
    expect(h.sim.submits('imagine')).toHaveLength(1); // nothing re-sent without a click

    const click = h.discord.clickButton({
      messageId: failed.id,
      customId: customIdOf(failed, 'Retry'),
      user: alice,
    });
    expect((await click.response).type).toBe(5);
    const again = await click.message();
    expect(again.id).not.toBe(failed.id);
    await h.submitted(2);
    expect(h.sim.submits('imagine')[1]?.body).toMatchObject({ prompt: 'a red fox in the snow' });
    expect(again.content).toContain(failed.id); // links back to the failed attempt
    h.sim.complete(h.sim.lastTaskId());
    await h.poll();
    expect(again.content).toContain('**a red fox in the snow** - <@300000000000000001> (fast)');
    expect(labelsOf(again)).toEqual(GRID_LABELS);
    expect(failed.content).toContain('Midjourney could not complete the job.'); // the old message stays as it was
    const record = await h.bot.ctx.store.byMessage(again.id);
    expect(record?.retryOf).toBe((await h.bot.ctx.store.byMessage(failed.id))?.id);
  });

  it('Retry of an /imagine with an image prompt downloads the attachment again; a vanished one is explained', async () => {
    h = await Harness.start();
    h.expectDiscordError(404); // the vanished attachment's download
    const png = makePng(8, 8, 3);
    const handle = await h.imagine('in this style', alice, {
      attachments: [{ filename: 'ref.png', contentType: 'image/png', data: png, option: 'image' }],
    });
    const failed = await handle.message();
    await h.submitted();
    h.sim.nextSubmit({ code: 23 });
    h.sim.fail(h.sim.lastTaskId(), 'internal error');
    await h.poll();
    const retry = customIdOf(failed, 'Retry');

    const first = h.discord.clickButton({ messageId: failed.id, customId: retry, user: alice });
    await first.message();
    await h.submitFailed('queue_full');
    const submits = h.sim.submits('imagine');
    expect(submits).toHaveLength(2);
    expect(submits[1]?.body.base64Array).toEqual([`data:image/png;base64,${png.toString('base64')}`]);

    // The attachment URL expired (Discord's CDN links last about a day): the user is told, nothing is sent.
    const job = await h.bot.ctx.store.byMessage(failed.id);
    const expired = `${h?.discord.restApi.replace('/api', '')}/attachments/1/expired.png`;
    await h.bot.ctx.store.update(job?.id ?? '', (j) =>
      j.request?.kind === 'imagine' ? { ...j, request: { ...j.request, imageUrls: [expired] } } : null,
    );
    const second = h.discord.clickButton({ messageId: failed.id, customId: retry, user: alice });
    const note = await h.discord.waitForMessage(
      (m) => m.ephemeral && m.content.includes('no longer available'),
    );
    expect(note.content).toContain('run the command again');
    expect((await second.response).type).toBe(5);
    expect(h.sim.submits('imagine')).toHaveLength(2);
  });

  it('Retry of a failed button press presses the same button of the same parent again', async () => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    const gridTask = await finishTask(h);
    const up = await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U2'), user: alice })
      .message();
    await h.submitted(2);
    h.sim.fail(h.sim.lastTaskId(), 'upstream hiccup');
    await h.poll();
    expect(up.content).toContain('Image #2');
    expect(up.content).toContain('Midjourney could not complete the job.');

    const again = await h.discord
      .clickButton({ messageId: up.id, customId: customIdOf(up, 'Retry'), user: alice })
      .message();
    await h.submitted(3);
    const actions = h.sim.submits('action');
    expect(actions).toHaveLength(2);
    expect(actions[1]?.body).toEqual(actions[0]?.body);
    expect(actions[1]?.body).toMatchObject({
      taskId: gridTask,
      customId: expect.stringContaining('upsample::2'),
    });
    expect(again.content).toContain('Image #2');
    expect(again.content).toContain(grid.id); // still points at the grid it came from
  });

  it('only the requester may retry; a double click starts one new job', async () => {
    h = await Harness.start();
    const failed = await (await h.imagine('a red fox in the snow')).message();
    await h.submitted();
    h.sim.fail(h.sim.lastTaskId(), 'internal error');
    await h.poll();
    const retry = customIdOf(failed, 'Retry');
    const theirs = await h.discord.clickButton({ messageId: failed.id, customId: retry, user: bob }).response;
    expect(theirs.data.flags & 64).toBe(64);
    expect(theirs.data.content).toContain(`<@${alice.id}>`);

    let release: () => void = () => undefined;
    h.sim.fault({ endpoint: 'submit/imagine' }, { until: new Promise<void>((r) => (release = r)) });
    const first = h.discord.clickButton({ messageId: failed.id, customId: retry, user: alice });
    await h.sim.waitForRequest(
      (r) => r.endpoint === 'submit/imagine' && h?.sim.submits('imagine').length === 2,
    );
    const second = await h.discord.clickButton({ messageId: failed.id, customId: retry, user: alice })
      .response;
    expect(second.data.flags & 64).toBe(64);
    expect(second.data.content).toMatch(/already/i);
    release();
    await first.message();
    await h.submitted(2);
    expect(h.sim.submits('imagine')).toHaveLength(2);
  });
});

describe('unknown outcome: said plainly, never re-sent silently', () => {
  it('a submit that times out after sending is reported as unknown, with Retry only as a choice', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock, upstream: { submitTimeoutMs: 300 } } });
    h.sim.nextSubmit({ hang: true });
    const msg = await (await h.imagine('a lighthouse at dusk')).message();
    await h.sim.waitForRequest((r) => r.endpoint === 'submit/imagine');
    await clock.armed(300); // the submit's timeout runs on the bot's clock
    await clock.advance(300);
    await h.submitFailed('unknown_outcome');
    await h.waitFor((m) => m.id === msg.id && m.content.includes('(Failed)'));
    expect(msg.content).toContain('no clear answer came back');
    expect(msg.content).toContain('may still be making this job');
    expect(labelsOf(msg)).toEqual(['Retry']); // no task id: nothing to check
    await h.poll();
    expect(h.sim.submits('imagine')).toHaveLength(1);
    expect(h.bot.tracker.size).toBe(0);

    await h.discord
      .clickButton({ messageId: msg.id, customId: customIdOf(msg, 'Retry'), user: alice })
      .message();
    await h.submitted(1);
    expect(h.sim.submits('imagine')).toHaveLength(2); // sent again only because the user chose to
  });

  it('Check finds a job that passed its deadline and shows its result; a task the upstream lost is explained', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ env: { JOB_DEADLINE_MINUTES: '1' }, bot: { clock } });
    const slow = await (await h.imagine('a slow relaxed job')).message();
    await h.submitted();
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 10);
    await h.poll();
    await clock.advance(61_000);
    await h.poll();
    expect(slow.content).toContain('made no progress for too long');
    expect(slow.content).toContain('Press **Check**');
    expect(labelsOf(slow)).toEqual(['Check', 'Retry']);

    h.sim.succeed(task);
    const check = h.discord.clickButton({
      messageId: slow.id,
      customId: customIdOf(slow, 'Check'),
      user: alice,
    });
    const note = await h.discord.waitForMessage(
      (m) => m.ephemeral && m.content.includes('still has this job'),
    );
    expect(note.ephemeral).toBe(true);
    await check.response;
    await h.bot.publisher.idle();
    expect(slow.content).toBe('**a slow relaxed job** - <@300000000000000001> (fast)');
    expect(labelsOf(slow)).toEqual(GRID_LABELS);
    expect(h.sim.submits()).toHaveLength(1); // a check reads; it never submits

    const other = await (await h.imagine('another slow job')).message();
    await h.submitted(2);
    const lost = h.sim.lastTaskId();
    await clock.advance(61_000);
    await h.poll();
    h.sim.forget(lost);
    h.discord.clickButton({ messageId: other.id, customId: customIdOf(other, 'Check'), user: alice });
    const none = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('no record'));
    expect(none.content).toContain('Retry');
    expect(buttonsOf(other).map((b) => b.label)).toEqual(['Check', 'Retry']);
  });
});
