import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, buttonsOf, customIdOf, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MANAGER = '32';
const emojis = (m: Parameters<typeof buttonsOf>[0]) => buttonsOf(m).map((b) => b.emoji);

describe('❌ cancel', () => {
  it('a job waiting in the local queue is cancelled: never sent, its message says so, its unit given back', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1', DAILY_QUOTA: '5' } });
    await h.imagine('first');
    await h.submitted(1);
    const waiting = await (await h.imagine('second')).message();
    const third = await (await h.imagine('third')).message();
    expect(third.content).toContain('position #2');
    expect(await h.bot.ctx.queue.usage({ userId: alice.id, guildId: null, manager: false })).toMatchObject({
      used: 3,
    });

    const press = await h.discord.clickButton({
      messageId: waiting.id,
      customId: customIdOf(waiting, '❌'),
      user: alice,
    }).response;
    expect(press.type).toBe(6);
    await h.waitForEvent((e) => e.job.failure?.kind === 'cancelled' && e.from === 'queued');
    await h.settle();
    expect(waiting.content).toBe(
      `**second** - <@${alice.id}> (Cancelled)\nCancelled. The bot stopped tracking this job; if Midjourney had already received it, it may still run there.`,
    );
    expect(waiting.embeds[0]?.title).toBe('Cancelled');
    expect(buttonsOf(waiting)).toHaveLength(0);
    expect(third.content).toContain('position #1'); // the one behind moves up
    expect(await h.bot.ctx.queue.usage({ userId: alice.id, guildId: null, manager: false })).toMatchObject({
      used: 2,
    });
    await h.waitForEvent((e) => e.job.failure?.kind === 'cancelled' && e.from === 'queued');

    await finishTask(h, 1);
    await h.submitted(2);
    expect(h.sim.submits('imagine').map((s) => (s.body as { prompt: string }).prompt)).toEqual([
      'first',
      'third',
    ]);
  });

  it('a job the upstream has not started is no longer tracked, and says so', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await h.submitted(1);
    expect(emojis(msg)).toEqual(['❌']);
    await h.discord.clickButton({ messageId: msg.id, customId: customIdOf(msg, '❌'), user: alice }).response;
    await h.waitForEvent((e) => e.job.failure?.kind === 'cancelled');
    await h.settle();
    expect(msg.content).toContain('Cancelled');
    expect(h.bot.tracker.has((await h.bot.ctx.store.byMessage(msg.id))?.id ?? '')).toBe(false);
    // Whatever the upstream does next, the message stays as it is.
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.succeed(task);
    await h.poll();
    expect(msg.content).toContain('Cancelled');
    expect(msg.attachments).toHaveLength(0);
  });

  it('once the upstream started the job the ❌ is gone, and a late press is told it is too late', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await h.submitted(1);
    const cancel = customIdOf(msg, '❌');
    h.sim.start(h.sim.lastTaskId());
    h.sim.progress(h.sim.lastTaskId(), 10);
    await h.bot.tracker.pollNow(); // saved, not yet shown: the button is still on the message
    const late = await h.discord.clickButton({ messageId: msg.id, customId: cancel, user: alice }).response;
    expect(late.data.content).toBe('This job can no longer be cancelled: Midjourney has started it.');
    await h.bot.publisher.idle();
    expect(buttonsOf(msg)).toHaveLength(0);
  });

  it('only the requester or a server manager may cancel', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await h.submitted(1);
    const cancel = customIdOf(msg, '❌');
    const theirs = await h.discord.clickButton({ messageId: msg.id, customId: cancel, user: bob }).response;
    expect(theirs.data.content).toBe(`Only <@${alice.id}> (or a server manager) can do this.`);
    const manager = await h.discord.clickButton({
      messageId: msg.id,
      customId: cancel,
      user: bob,
      memberPermissions: MANAGER,
    }).response;
    expect(manager.type).toBe(6);
    await h.waitForEvent((e) => e.job.failure?.kind === 'cancelled');
    await h.settle();
    expect(msg.content).toContain('Cancelled');
  });
});

describe('🗑️ delete', () => {
  it('the requester deletes a finished result; someone else may not; the job record stays', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    const del = customIdOf(msg, '🗑️');
    const theirs = await h.discord.clickButton({ messageId: msg.id, customId: del, user: bob }).response;
    expect(theirs.data.content).toContain('can do this');
    expect(msg.deleted).toBe(false);
    await h.discord.clickButton({ messageId: msg.id, customId: del, user: alice }).response;
    await h.waitFor((m) => m.id === msg.id && m.deleted);
    await h.waitForLog('job message deleted');
    const job = await h.bot.ctx.store.byMessage(msg.id);
    expect(job?.message.gone).toBe(true);
  });

  it('a server manager may delete anyone’s result', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    await h.discord.clickButton({
      messageId: msg.id,
      customId: customIdOf(msg, '🗑️'),
      user: bob,
      memberPermissions: MANAGER,
    }).response;
    await h.waitFor((m) => m.id === msg.id && m.deleted);
  });
});

describe('✉️ send to DMs', () => {
  it('sends the image, full prompt, job id and seed to the presser’s DMs, and says so', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox in the snow --ar 3:2')).message();
    const taskId = await finishTask(h);
    const handle = h.discord.clickButton({ messageId: msg.id, customId: customIdOf(msg, '✉️'), user: bob });
    const note = await handle.message();
    expect(note.ephemeral).toBe(true);
    expect(note.content).toBe('Sent to your DMs.');
    const dm = h.discord.dmChannelFor(bob.id);
    const mail = await h.waitFor((m) => m.channelId === dm);
    const text = mail.embeds[0].description;
    expect(text).toContain('**Prompt:** a red fox in the snow --ar 3:2');
    expect(text).toContain(`**Job ID:** \`${taskId}\``);
    expect(text).toMatch(/\*\*Seed:\*\* `\d+`/);
    expect(text).toContain(msg.id); // a link back to the message
    expect(mail.attachments).toHaveLength(1);
    expect(mail.embeds[0].image.url).toBe(`attachment://${mail.attachments[0]?.filename}`);
  });

  it('tells the presser when their DMs are closed', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    const dm = h.discord.dmChannelFor(alice.id);
    h.discord.failNext(
      { method: 'POST', pathIncludes: `/channels/${dm}/messages` },
      { status: 403, code: 50007, message: 'Cannot send messages to this user' },
    );
    const note = await h.discord
      .clickButton({ messageId: msg.id, customId: customIdOf(msg, '✉️'), user: alice })
      .message();
    expect(note.content).toContain('I cannot send you DMs');
    await h.waitForLog('the user does not accept DMs from the bot; carrying on');
  });
});
