import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage, FakeUser } from '../../emulators/discord/index.js';
import { restoreWorld, type World } from '../fixtures/world.js';
import { FakeClock } from '../support/fakeClock.js';
import { click, nextSubmit } from '../support/flows.js';
import { alice, bob, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

/**
 * A store written by version 1 (the bot before issue 9), with what Discord and the upstream held then: see
 * test/fixtures/README.md. This version starts on it as an upgrade would.
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const world = JSON.parse(readFileSync(join(FIXTURES, 'world-v1.json'), 'utf8')) as World;
const carol: FakeUser = { id: '300000000000000003', username: 'carol', locale: 'en-US' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The new bot over a copy of the fixture, next to a Discord and an upstream that still hold its messages and tasks. */
async function upgrade(): Promise<Harness> {
  // The upgrade happens 20 minutes after the old version stopped (or now, for a fixture just written): the old
  // interaction tokens have expired, no old job has reached its deadline, new interactions' tokens are valid.
  const clock = new FakeClock(Math.min(world.writtenAt + 20 * 60_000, Date.now()));
  // One job at a time per user, as when the fixture was written: Bob's queued job waits for his running one.
  const harness = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' }, bot: { clock } });
  // The harness boots on an empty store: stop, put the old version's store in its place, boot again.
  await harness.bot.stop();
  const store = harness.config.storePath;
  for (const file of [store, `${store}-wal`, `${store}-shm`]) rmSync(file, { force: true });
  copyFileSync(join(FIXTURES, 'store-v1.sqlite'), store);
  restoreWorld(harness, world);
  await harness.boot();
  return harness;
}

function role(name: string) {
  const r = world.roles[name];
  if (!r?.messageId) throw new Error(`the fixture has no ${name} job`);
  return { ...r, messageId: r.messageId };
}

function messageOf(harness: Harness, name: string): FakeMessage {
  const m = harness.discord.messages.get(role(name).messageId);
  if (!m) throw new Error(`no ${name} message`);
  return m;
}

/** Runs a task (by default the one created last) to SUCCESS, and the bot's tracker to its result. */
async function finish(harness: Harness, taskId = harness.sim.lastTaskId()): Promise<void> {
  harness.sim.complete(taskId);
  await harness.poll();
}

describe('upgrade from version 1: old jobs keep working', () => {
  it('resumes the active jobs in their own messages, sends the queued one, and answers the old buttons', async () => {
    h = await upgrade();
    const resumed = await h.waitForLog('resumed active jobs', {}, 2);
    expect(resumed).toMatchObject({ tracked: 1, waiting: 1, queued: 1, abandoned: 1 });
    await h.settle();

    // Caught mid-submit by the old version: it may have reached the upstream, so it is never re-sent by itself.
    const submitting = messageOf(h, 'submitting');
    expect(submitting.content).toContain(`<@${carol.id}> (Failed)`);
    expect(submitting.content).toContain('no clear answer came back');
    expect(labelsOf(submitting)).toEqual(['Retry']);
    const queued = messageOf(h, 'queued');
    expect(queued.content).toBe(`**waits its turn** - <@${bob.id}> (Waiting in position #1)`);
    expect(h.sim.submits()).toEqual([]);

    // The job the old version was tracking finishes in its message; Bob's queued job is then sent from its record.
    const tracking = messageOf(h, 'tracking');
    const released = nextSubmit(h);
    await finish(h, role('tracking').taskId ?? '');
    expect(tracking.content).toBe(`**still drawing** - <@${bob.id}> (fast)`);
    expect(labelsOf(tracking)).toEqual(GRID_LABELS);
    expect(tracking.attachments).toHaveLength(1);
    await h.settle();
    expect(h.sim.submits('imagine')).toHaveLength(1); // rebuilt from the old record: nothing else is left of it
    await released;
    expect(h.sim.submits('imagine')[0]?.body).toMatchObject({ prompt: 'waits its turn' });
    await finish(h);
    expect(queued.content).toBe(`**waits its turn** - <@${bob.id}> (fast)`);
    expect(labelsOf(queued)).toEqual(GRID_LABELS);

    // The job waiting for its pop-up: Edit prompt, then /mj/submit/modal for its task, in its own message.
    const modal = messageOf(h, 'modal');
    expect(labelsOf(modal)).toEqual(['Edit prompt']);
    const open = await click(h, modal, 'Edit prompt').response;
    expect(open.type).toBe(9);
    const confirmed = nextSubmit(h);
    h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'a finished grid, at night' },
      user: alice,
      messageId: modal.id,
    });
    await confirmed;
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({
      taskId: role('modal').taskId,
      prompt: 'a finished grid, at night',
    });
    await finish(h, role('modal').taskId ?? '');
    expect(modal.content).toContain('**a finished grid, at night** - Variations (Strong) by');
    expect(labelsOf(modal)).toEqual(GRID_LABELS);

    // U1 on the grid the old version finished: a child job presses the upstream's button of that task.
    const grid = messageOf(h, 'grid');
    const gridTask = world.tasks.find((t) => t.id === role('grid').taskId);
    const u1 = gridTask?.buttons.find((b) => b.label === 'U1')?.customId;
    expect(u1).toContain('upsample::1');
    const pressed = nextSubmit(h);
    const child = await click(h, grid, 'U1').message();
    await pressed;
    expect(h.sim.submits('action')).toHaveLength(1);
    expect(h.sim.submits('action')[0]?.body).toMatchObject({ taskId: role('grid').taskId, customId: u1 });
    await finish(h);
    expect(child.id).not.toBe(grid.id);
    expect(child.content).toContain('**a finished grid** - Image #1');
    expect(child.attachments).toHaveLength(1);

    // Retry on the job that failed under the old version sends its request again, as a new job.
    const failed = messageOf(h, 'failed');
    const retried = nextSubmit(h);
    const again = await click(h, failed, 'Retry').message();
    await retried;
    expect(h.sim.submits('imagine').at(-1)?.body).toMatchObject({ prompt: 'a failed attempt' });
    await finish(h);
    expect(again.content).toContain(`**a failed attempt** - <@${alice.id}> (fast)`);
    expect(again.content).toContain(failed.id); // links back to the failed attempt
    expect(labelsOf(again)).toEqual(GRID_LABELS);
    expect(failed.content).toContain('(Failed)'); // the old message stays as it was
  });
});
