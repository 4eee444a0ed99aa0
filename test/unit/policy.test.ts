import type { Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/interactions/context.js';
import { enforcePolicy } from '../../src/interactions/policy.js';
import { UserError } from '../../src/interactions/userError.js';
import type { GuildSettings } from '../../src/jobs/guildSettings.js';
import type { Requester } from '../../src/jobs/limits.js';
import { LimitError } from '../../src/jobs/queue.js';

interface Setup {
  guildId?: string | null;
  manager?: boolean;
  channelId?: string;
  roles?: string[];
  settings?: Partial<GuildSettings>;
  serveDms?: boolean;
  allowedGuilds?: string[];
  queueFull?: boolean;
}

function setup(s: Setup = {}) {
  const prechecked: Requester[] = [];
  const guildId = s.guildId === undefined ? 'g1' : s.guildId;
  const settings: GuildSettings = {
    channels: [],
    roles: [],
    blockedUsers: [],
    buttonPolicy: null,
    ...s.settings,
  };
  const ctx = {
    config: { serveDms: s.serveDms ?? true, allowedGuilds: s.allowedGuilds ?? [] },
    guilds: { get: async () => settings },
    queue: {
      precheck: async (r: Requester) => {
        prechecked.push(r);
        if (s.queueFull) throw new LimitError({ reason: 'queue_full', max: 2 });
      },
    },
  } as unknown as BotContext;
  const interaction = {
    guildId,
    user: { id: 'u1' },
    inGuild: () => guildId !== null,
    memberPermissions: { has: () => s.manager ?? false },
    member: guildId ? { roles: s.roles ?? [] } : null,
    channelId: s.channelId ?? 'c1',
    channel: { isThread: () => false },
  } as unknown as Interaction;
  return { ctx, interaction, prechecked };
}

const refusal = (p: Promise<void>) =>
  p.then(
    () => null,
    (err) => (err instanceof UserError ? err.key : err),
  );

describe('enforcePolicy: run before every handler', () => {
  it('holds everything to the operator’s rules, free or not', async () => {
    for (const spends of [true, false]) {
      const dm = setup({ guildId: null, serveDms: false });
      expect(await refusal(enforcePolicy(dm.ctx, dm.interaction, spends))).toBe('access.dmsOff');
      const other = setup({ allowedGuilds: ['g2'] });
      expect(await refusal(enforcePolicy(other.ctx, other.interaction, spends))).toBe(
        'access.guildNotAllowed',
      );
    }
  });

  it('holds only what spends to the server’s own rules; managers pass them', async () => {
    const rules: Partial<GuildSettings>[] = [
      { blockedUsers: ['u1'] },
      { channels: ['c9'] },
      { roles: ['r9'] },
    ];
    const keys = ['access.blocked', 'access.channel', 'access.role'];
    for (const [i, settings] of rules.entries()) {
      const user = setup({ settings });
      expect(await refusal(enforcePolicy(user.ctx, user.interaction, true))).toBe(keys[i]);
      expect(await refusal(enforcePolicy(user.ctx, user.interaction, false))).toBeNull();
      const manager = setup({ settings, manager: true });
      expect(await refusal(enforcePolicy(manager.ctx, manager.interaction, true))).toBeNull();
    }
    const allowed = setup({ settings: { channels: ['c1'], roles: ['r1'] }, roles: ['r1'] });
    expect(await refusal(enforcePolicy(allowed.ctx, allowed.interaction, true))).toBeNull();
  });

  it('prechecks the limits only for what spends, in servers and DMs, and says why it refuses', async () => {
    for (const guildId of ['g1', null]) {
      const free = setup({ guildId, queueFull: true });
      expect(await refusal(enforcePolicy(free.ctx, free.interaction, false))).toBeNull();
      expect(free.prechecked).toEqual([]);
      const spending = setup({ guildId, queueFull: true });
      expect(await refusal(enforcePolicy(spending.ctx, spending.interaction, true))).toBe('limits.queueFull');
      expect(spending.prechecked).toEqual([{ userId: 'u1', guildId, manager: false }]);
    }
  });
});
