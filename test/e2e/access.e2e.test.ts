import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOption, InteractionResponse } from '../../emulators/discord/index.js';
import {
  alice,
  bob,
  CHANNEL,
  customIdOf,
  finishTask,
  GUILD,
  Harness,
  type HarnessOptions,
  OTHER_CHANNEL,
} from '../support/harness.js';

const ARTIST = '400000000000000001';
/** Manage Server. */
const MANAGER = '32';
const carol = { id: '300000000000000003', username: 'carol', locale: 'en-US' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A server where alice has the Artist role, bob has none, and carol owns the server. */
function start(opts: HarnessOptions = {}): Promise<Harness> {
  return Harness.start({
    ...opts,
    discord: {
      guilds: [
        {
          id: GUILD,
          name: 'Test',
          ownerId: carol.id,
          channels: [{ id: CHANNEL }, { id: OTHER_CHANNEL }],
          roles: [{ id: ARTIST, name: 'Artist', permissions: '0' }],
          members: [
            { userId: alice.id, roles: [ARTIST] },
            { userId: bob.id, roles: [] },
            { userId: carol.id, roles: [] },
          ],
        },
      ],
      ...opts.discord,
    },
  });
}

/** `/mj-admin <sub>` as carol (the owner: Manage Server). */
async function admin(
  harness: Harness,
  sub: string,
  options: CommandOption[] = [],
): Promise<InteractionResponse> {
  const res = await harness.run('mj-admin', carol, { options: [{ name: sub, type: 1, options }] }).response;
  expect(res.data.flags & 64).toBe(64);
  return res;
}

async function refusal(handle: { response: Promise<InteractionResponse> }): Promise<string> {
  const res = await handle.response;
  expect(res.type).toBe(4);
  expect(res.data.flags & 64).toBe(64);
  return res.data.content;
}

const prompt = (value: string): CommandOption[] => [{ name: 'prompt', type: 3, value }];

describe('access: /mj-admin and who may start jobs', () => {
  it('only people with Manage Server may change the server settings', async () => {
    h = await start();
    const text = await refusal(h.run('mj-admin', bob, { options: [{ name: 'show', type: 1 }] }));
    expect(text).toContain('Manage Server');
    const shown = await admin(h, 'show');
    expect(shown.data.content).toContain('**Allowed channels:** all');
  });

  it('an allowed channel works; another is refused, saying where to go; nothing is sent upstream', async () => {
    h = await start();
    const saved = await admin(h, 'allow-channel', [{ name: 'channel', type: 7, value: CHANNEL }]);
    expect(saved.data.content).toContain(`**Allowed channels:** <#${CHANNEL}>`);

    const text = await refusal(
      h.run('imagine', alice, { channelId: OTHER_CHANNEL, options: prompt('a fox') }),
    );
    expect(text).toBe(`The bot cannot be used in this channel. Try <#${CHANNEL}>.`);
    expect(h.sim.submits('imagine')).toHaveLength(0);
    expect(await h.waitForLog('request refused', { reason: 'access.channel' })).toBeTruthy();

    const ok = h.run('imagine', alice, { channelId: CHANNEL, options: prompt('a fox') });
    expect((await ok.response).type).toBe(5);
    await h.submitted(1);
    // A server manager is not held to the list.
    const managed = h.run('imagine', bob, {
      channelId: OTHER_CHANNEL,
      memberPermissions: MANAGER,
      options: prompt('an owl'),
    });
    expect((await managed.response).type).toBe(5);
    await h.submitted(2);
  });

  it('an allowed role works; a member without it is refused, with the role named', async () => {
    h = await start();
    await admin(h, 'allow-role', [{ name: 'role', type: 8, value: ARTIST }]);
    const text = await refusal(h.run('imagine', bob, { options: prompt('a fox') }));
    expect(text).toBe(`You need one of these roles to use the bot here: <@&${ARTIST}>.`);
    expect(h.sim.submits('imagine')).toHaveLength(0);
    expect((await h.run('imagine', alice, { options: prompt('a fox') }).response).type).toBe(5);
    await h.submitted(1);
  });

  it('a blocked member is refused; /help still answers them; unblocking lets them back', async () => {
    h = await start();
    await admin(h, 'block', [{ name: 'user', type: 6, value: bob.id }]);
    expect(await refusal(h.run('imagine', bob, { options: prompt('a fox') }))).toContain('blocked');
    expect((await h.run('help', bob).response).data.embeds).toHaveLength(1);
    await admin(h, 'unblock', [{ name: 'user', type: 6, value: bob.id }]);
    expect((await h.run('imagine', bob, { options: prompt('a fox') }).response).type).toBe(5);
  });

  it('button policy: requester only by default; "anyone" lets another member press', async () => {
    h = await start();
    const grid = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    const v1 = customIdOf(grid, 'V1');
    const refused = await h.discord.clickButton({ messageId: grid.id, customId: v1, user: bob }).response;
    expect(refused.data.content).toContain(`<@${alice.id}>`);
    const shown = await admin(h, 'buttons', [{ name: 'policy', type: 3, value: 'anyone' }]);
    expect(shown.data.content).toContain('**Buttons:** anyone');
    const pressed = await h.discord.clickButton({ messageId: grid.id, customId: v1, user: bob }).response;
    expect(pressed.type).toBe(5);
    await h.submitted(2);
    expect(h.sim.submits('action')).toHaveLength(1);
  });

  it('BUTTON_POLICY=anyone is the default a server can narrow back to requester', async () => {
    h = await start({ env: { BUTTON_POLICY: 'anyone' } });
    const grid = await (await h.imagine('a red fox')).message();
    await finishTask(h);
    await admin(h, 'buttons', [{ name: 'policy', type: 3, value: 'requester' }]);
    const refused = await h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, 'U1'),
      user: bob,
    }).response;
    expect(refused.data.flags & 64).toBe(64);
    expect(h.sim.submits('action')).toHaveLength(0);
  });

  it('settings survive a restart', async () => {
    h = await start();
    await admin(h, 'allow-channel', [{ name: 'channel', type: 7, value: CHANNEL }]);
    await h.restart();
    const text = await refusal(
      h.run('imagine', alice, { channelId: OTHER_CHANNEL, options: prompt('a fox') }),
    );
    expect(text).toContain(`<#${CHANNEL}>`);
  });
});

describe('access: the operator’s settings', () => {
  it('a server outside ALLOWED_GUILDS is refused for everything', async () => {
    h = await start({ env: { ALLOWED_GUILDS: '200000000000000999' } });
    expect(await refusal(h.run('imagine', alice, { options: prompt('a fox') }))).toBe(
      'This bot is not enabled in this server.',
    );
    expect(await refusal(h.run('help', alice))).toBe('This bot is not enabled in this server.');
    expect(h.sim.submits()).toHaveLength(0);
  });

  it('SERVE_DMS=false refuses commands and plain prompts in DMs', async () => {
    h = await start({ env: { SERVE_DMS: 'false' } });
    expect(await refusal(h.run('imagine', alice, { dm: true, options: prompt('a fox') }))).toContain('DMs');
    const dm = h.discord.dmChannelFor(alice.id);
    await h.discord.userMessage({ user: alice, content: 'a fox in the snow' });
    const answer = await h.waitFor((m) => m.channelId === dm);
    expect(answer.content).toBe('The bot does not take requests in DMs. Please use it in a server.');
    expect(h.sim.submits()).toHaveLength(0);
  });
});
