import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, customIdOf, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Discord's Manage Server permission bit. */
const MANAGE_GUILD = String(1 << 5);

/** A finished grid by alice; resolves with its message. */
async function aliceGrid(harness: Harness) {
  const grid = await (await harness.imagine('a red fox in the snow', alice)).message();
  await finishTask(harness);
  return grid;
}

describe('who may press a job’s buttons', () => {
  it('by default someone else is told whose buttons they are; a server manager may always press', async () => {
    h = await Harness.start();
    const grid = await aliceGrid(h);
    const note = await h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, 'V2'),
      user: bob,
    }).response;
    expect(note.data.flags & 64).toBe(64);
    expect(note.data.content).toContain(`Only <@${alice.id}>`);
    expect(h.sim.submits('action')).toHaveLength(0);

    const manager = h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, 'V2'),
      user: bob,
      memberPermissions: MANAGE_GUILD,
    });
    const child = await manager.message();
    await h.submitted(2);
    expect(h.sim.submits('action')).toHaveLength(1);
    expect(child.content).toContain(`<@${bob.id}>`);
  });

  it('with BUTTON_POLICY=anyone, anyone may press', async () => {
    h = await Harness.start({ env: { BUTTON_POLICY: 'anyone' } });
    const grid = await aliceGrid(h);
    await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U4'), user: bob })
      .message();
    await h.submitted(2);
    expect(h.sim.submits('action')[0]?.body.customId).toContain('upsample::4');
  });
});
