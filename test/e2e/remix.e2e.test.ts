import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../emulators/discord/index.js';
import { click, finishedGrid, finishedUpscale, nextSubmit } from '../support/flows.js';
import { alice, finishTask, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Presses "Edit prompt" on a paused job, checks the pre-fill, sends `prompt`; resolves once it is submitted. */
async function editPrompt(
  harness: Harness,
  msg: FakeMessage,
  prefill: string,
  prompt: string,
): Promise<void> {
  const open = await click(harness, msg, 'Edit prompt').response;
  expect(open.type).toBe(9);
  expect(open.data.components[0].component.value).toBe(prefill);
  const submitted = nextSubmit(harness);
  // Opened from a button of the job's message, so Discord sends that message with the submit.
  const sent = harness.discord.submitModal({
    customId: open.data.custom_id,
    fields: { prompt },
    user: alice,
    messageId: msg.id,
  });
  expect((await sent.response).type).toBe(6); // the paused job's own message goes on
  await submitted;
}

describe('remix: the upstream asks for the pop-up', () => {
  it('code 21 on V1: the job waits with Edit prompt; its pop-up sends /mj/submit/modal; the job goes on', async () => {
    h = await Harness.start();
    const { grid } = await finishedGrid(h);
    h.sim.nextSubmit({ code: 21, finalPrompt: 'a red fox in the snow --v 6.1' });
    const submitted = nextSubmit(h);
    const child = await click(h, grid, 'V1').message();
    await submitted;
    await h.bot.publisher.idle();
    expect(child.content).toContain('(Waiting for your edit)');
    expect(child.content).toContain('Press **Edit prompt** to continue.');
    const taskId = h.sim.lastTaskId();

    await editPrompt(h, child, 'a red fox in the snow --v 6.1', 'a red fox in the snow, at night --v 6.1');
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({
      taskId,
      prompt: 'a red fox in the snow, at night --v 6.1',
    });
    await finishTask(h);
    expect(child.content).toContain('**a red fox in the snow, at night --v 6.1** - Variations (Strong) by');
    expect(labelsOf(child)).toEqual(GRID_LABELS);
  });

  it('status MODAL through an aggregator (the action answered as accepted): the same Edit prompt flow', async () => {
    h = await Harness.start({ sim: { aggregator: true } });
    const { grid } = await finishedGrid(h);
    const submitted = nextSubmit(h);
    const child = await click(h, grid, 'V2').message();
    await submitted;
    // The account has remix on: the upstream parks the task; the aggregator said code 1.
    const taskId = h.sim.lastTaskId();
    const task = h.sim.task(taskId);
    task.status = 'MODAL';
    task.properties.finalPrompt = 'a red fox in the snow --ar 3:2';
    await h.poll();
    expect(child.content).toContain('(Waiting for your edit)');

    await editPrompt(h, child, 'a red fox in the snow --ar 3:2', 'a blue fox --ar 3:2');
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({ taskId, prompt: 'a blue fox --ar 3:2' });
    await finishTask(h);
    expect(child.content).toContain('**a blue fox --ar 3:2**');
    expect(labelsOf(child)).toEqual(GRID_LABELS);
  });
});

describe('remix preference', () => {
  it('V1 opens the pop-up first (the parent prompt); its submit sends enableRemix, then the edited prompt (code 21)', async () => {
    h = await Harness.start();
    await h.bot.ctx.prefs.set(alice.id, { remix: true });
    const { grid, taskId: gridTask } = await finishedGrid(h);
    const requests = h.sim.requests.length;
    const open = await click(h, grid, 'V1').response;
    expect(open.type).toBe(9);
    expect(open.data.title).toBe('Remix');
    expect(open.data.components[0].component.value).toBe('a red fox in the snow');
    expect(h.sim.requests.length).toBe(requests);

    const submitted = nextSubmit(h);
    const sent = h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'a red fox in the rain' },
      user: alice,
    });
    const child = await sent.message();
    await submitted;
    expect(h.sim.submits('action')[0]?.body).toMatchObject({
      taskId: gridTask,
      customId: expect.stringContaining('variation::1'),
      enableRemix: true,
    });
    const taskId = h.sim.lastTaskId();
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({ taskId, prompt: 'a red fox in the rain' });
    await finishTask(h);
    expect(child.content).toContain('**a red fox in the rain** - Variations (Strong) by');
  });

  it('through an aggregator (code 1, then MODAL) the edited prompt is sent once the task shows MODAL — once', async () => {
    h = await Harness.start({ sim: { aggregator: true } });
    await h.bot.ctx.prefs.set(alice.id, { remix: true });
    const { up } = await finishedUpscale(h);
    const open = await click(h, up, '⬅️').response;
    expect(open.type).toBe(9);
    const submitted = nextSubmit(h);
    const child = await h.discord
      .submitModal({
        customId: open.data.custom_id,
        fields: { prompt: 'a red fox, wide landscape' },
        user: alice,
      })
      .message();
    await submitted;
    const action = h.sim.submits('action')[1];
    expect(action?.body).toMatchObject({ customId: expect.stringContaining('pan_left'), enableRemix: true });
    expect(h.sim.submits('modal')).toHaveLength(0);
    const taskId = h.sim.lastTaskId();

    const confirmed = nextSubmit(h);
    await h.poll(); // the tracker sees MODAL: the kept prompt goes, without a second pop-up
    await confirmed;
    expect(h.sim.submits('modal')).toHaveLength(1);
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({ taskId, prompt: 'a red fox, wide landscape' });
    await h.waitForLog('remix pop-up reported by the task status: sending the edited prompt');
    await finishTask(h);
    expect(child.content).toContain('**a red fox, wide landscape** - Pan Left by');
    expect(h.sim.submits('modal')).toHaveLength(1);
  });

  it('a MODAL read again after the kept prompt was sent is left to the user: never sent twice', async () => {
    h = await Harness.start({ sim: { aggregator: true } });
    await h.bot.ctx.prefs.set(alice.id, { remix: true });
    const { grid } = await finishedGrid(h);
    const open = await click(h, grid, 'V4').response;
    let submitted = nextSubmit(h);
    const child = await h.discord
      .submitModal({ customId: open.data.custom_id, fields: { prompt: 'a fox in autumn' }, user: alice })
      .message();
    await submitted;
    const taskId = h.sim.lastTaskId();
    submitted = nextSubmit(h);
    await h.poll();
    await submitted;
    // The aggregator's record lags behind and shows MODAL once more.
    h.sim.task(taskId).status = 'MODAL';
    await h.poll();
    await h.waitForLog('task waits in MODAL, no kept prompt: the user edits it', { taskId });
    expect(child.content).toContain('(Waiting for your edit)');
    expect(h.sim.submits('modal')).toHaveLength(1);
  });

  it.each(['🔄', 'V3'])('%s on a grid opens the pop-up; U1 never does', async (label) => {
    h = await Harness.start();
    await h.bot.ctx.prefs.set(alice.id, { remix: true });
    const { grid } = await finishedGrid(h);
    expect((await click(h, grid, label).response).type).toBe(9);
    expect((await click(h, grid, 'U1').response).type).toBe(5);
  });

  it('Vary (Strong) and ⬇️ on a single image open it too; Zoom Out 2x does not', async () => {
    h = await Harness.start();
    await h.bot.ctx.prefs.set(alice.id, { remix: true });
    const { up } = await finishedUpscale(h);
    expect((await click(h, up, 'Vary (Strong)').response).type).toBe(9);
    expect((await click(h, up, '⬇️').response).type).toBe(9);
    expect((await click(h, up, 'Zoom Out 2x').response).type).toBe(5);
  });
});
