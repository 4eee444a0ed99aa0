import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../emulators/discord/index.js';
import { FakeClock } from '../support/fakeClock.js';
import { alice, customIdOf, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ID = (field: string) => `mj1:settings:${field}`;

/** Opens /settings and returns its (ephemeral) panel. */
async function openPanel(harness: Harness, locale?: string): Promise<FakeMessage> {
  const handle = harness.run('settings', alice, locale ? { locale } : {});
  const response = await handle.response;
  expect(response.type).toBe(4);
  expect(response.data.flags & 64).toBe(64);
  return handle.message();
}

async function choose(harness: Harness, panel: FakeMessage, field: string, value: string): Promise<void> {
  const res = await harness.discord.selectMenu({
    messageId: panel.id,
    customId: ID(field),
    values: [value],
    user: alice,
  }).response;
  expect(res.type).toBe(7); // the panel itself is updated
}

async function toggle(harness: Harness, panel: FakeMessage, field: string): Promise<void> {
  const res = await harness.discord.clickButton({ messageId: panel.id, customId: ID(field), user: alice })
    .response;
  expect(res.type).toBe(7);
}

async function setSuffix(harness: Harness, panel: FakeMessage, suffix: string) {
  const opened = await harness.discord.clickButton({
    messageId: panel.id,
    customId: ID('suffix'),
    user: alice,
  }).response;
  expect(opened.type).toBe(9);
  return harness.discord.submitModal({
    customId: ID('suffix'),
    fields: { suffix },
    user: alice,
    messageId: panel.id,
  }).response;
}

describe('/settings', () => {
  it('shows an ephemeral panel of the current settings with selects and toggles', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    expect(panel.ephemeral).toBe(true);
    expect(panel.content).toContain('Mode: Default (fast)');
    expect(panel.content).toContain('Bot: Midjourney');
    expect(panel.content).toContain('Remix mode: off');
    expect(panel.content).toContain('Suffix: none');
    const selects = panel.components.flatMap(
      (r: { components: Array<{ type: number; custom_id: string }> }) =>
        r.components.filter((c) => c.type === 3).map((c) => c.custom_id),
    );
    expect(selects).toEqual([ID('mode'), ID('bot'), ID('locale')]);
  });

  it('the mode chosen is the path of the next submit; an explicit option wins over it', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await choose(h, panel, 'mode', 'relax');
    expect(panel.content).toContain('Mode: relaxed');
    await (await h.imagine('a calm lake')).message();
    await h.submitted(1);
    expect(h.sim.submits('imagine')[0]?.mode).toBe('relax');

    await h.run('imagine', alice, {
      options: [
        { name: 'prompt', type: 3, value: 'a busy street' },
        { name: 'mode', type: 3, value: 'turbo' },
      ],
    }).response;
    await h.submitted(2);
    expect(h.sim.submits('imagine')[1]?.mode).toBe('turbo');
  });

  it('Niji is sent upstream as the bot type', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await choose(h, panel, 'bot', 'niji');
    expect(panel.content).toContain('Bot: Niji');
    await h.imagine('a cat in a teacup');
    await h.submitted(1);
    expect(h.sim.submits('imagine')[0]?.body).toMatchObject({ botType: 'NIJI_JOURNEY' });
  });

  it('the suffix is appended to every prompt, except parameters the prompt sets itself', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    expect((await setSuffix(h, panel, '--ar 3:2   --s 250')).type).toBe(7);
    expect(panel.content).toContain('Suffix: `--ar 3:2 --s 250`');
    const first = await (await h.imagine('a red fox')).message();
    await h.submitted(1);
    expect(h.sim.submits('imagine')[0]?.body).toMatchObject({ prompt: 'a red fox --ar 3:2 --s 250' });
    expect(first.content).toContain('**a red fox --ar 3:2 --s 250**');
    await h.imagine('a tall tower --ar 9:16');
    await h.submitted(2);
    expect(h.sim.submits('imagine')[1]?.body).toMatchObject({ prompt: 'a tall tower --ar 9:16 --s 250' });
  });

  it('refuses a suffix that is not parameters, and keeps the old one', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await setSuffix(h, panel, '--v 6.1');
    const refused = await setSuffix(h, panel, 'in the style of');
    expect(refused.type).toBe(4);
    expect(refused.data.flags & 64).toBe(64);
    expect(refused.data.content).toContain('--');
    expect((await h.bot.ctx.prefs.get(alice.id)).suffix).toBe('--v 6.1');
  });

  it('remix on: a V button opens the edit-prompt pop-up before anything is sent', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await toggle(h, panel, 'remix');
    expect(panel.content).toContain('Remix mode: on');
    const grid = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    const press = await h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, 'V1'),
      user: alice,
    }).response;
    expect(press.type).toBe(9);
    expect(h.sim.submits('action')).toHaveLength(0);
    const modal = h.discord.modals.at(-1);
    const edited = await h.discord.submitModal({
      customId: modal?.customId ?? '',
      fields: { prompt: 'a red fox, at night' },
      user: alice,
      messageId: grid.id,
    }).response;
    expect(edited.type).toBe(5);
    await h.submitted(2);
    expect(h.sim.submits('action')[0]?.body).toMatchObject({ enableRemix: true });
  });

  it('private results: the job runs in an ephemeral reply, and its final goes to DMs once the token expired', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock } });
    const panel = await openPanel(h);
    await toggle(h, panel, 'private');
    expect(panel.content).toContain('Private results: on');
    expect(panel.content).toContain('15 minutes');

    const handle = await h.imagine('a secret garden');
    const msg = await handle.message();
    expect(msg.ephemeral).toBe(true);
    expect(msg.content).toContain('**a secret garden**');
    await finishTask(h);
    expect(msg.attachments).toHaveLength(1);
    expect(msg.ephemeral).toBe(true);

    // A long job: past the token's 15 minutes the ephemeral message cannot be edited; the result goes to DMs.
    const late = await (await h.imagine('a slow sunrise')).message();
    await h.submitted(2);
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 30);
    await h.poll();
    expect(late.content).toContain('(30%)');
    await clock.advance(16 * 60_000);
    h.sim.succeed(task);
    await h.poll();
    const dm = h.discord.dmChannelFor(alice.id);
    const mail = await h.waitFor(
      (m) => m.channelId === dm && (m.embeds[0]?.description ?? '').includes('a slow sunrise'),
    );
    expect(mail.embeds[0].description).toContain('private job');
    expect(mail.attachments).toHaveLength(1);
    expect(late.content).toContain('(30%)'); // never edited through a route it cannot use
  });

  it('auto DM: a finished job is sent to the requester once, with prompt, job id and seed', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await toggle(h, panel, 'autoDm');
    await (await h.imagine('a lighthouse')).message();
    const taskId = await finishTask(h);
    const dm = h.discord.dmChannelFor(alice.id);
    const mail = await h.waitFor((m) => m.channelId === dm);
    const text = mail.embeds[0].description;
    expect(text).toContain('**Prompt:** a lighthouse');
    expect(text).toContain(`**Job ID:** \`${taskId}\``);
    expect(text).toMatch(/\*\*Seed:\*\* `\d+`/);
    expect(mail.attachments).toHaveLength(1);
    await h.poll();
    expect([...h.discord.messages.values()].filter((m) => m.channelId === dm)).toHaveLength(1);
  });

  it('reset puts everything back to the defaults', async () => {
    h = await Harness.start();
    const panel = await openPanel(h);
    await choose(h, panel, 'mode', 'turbo');
    await toggle(h, panel, 'autoDm');
    await toggle(h, panel, 'reset');
    expect(panel.content).toContain('Mode: Default (fast)');
    expect(panel.content).toContain('Auto DM: off');
    expect(await h.bot.ctx.prefs.get(alice.id)).toMatchObject({ mode: null, autoDm: false });
  });
});
