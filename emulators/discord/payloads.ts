/** Discord JSON shapes for users, members, channels and guilds. */
import type { ApiJson, FakeGuildSpec, FakeUser } from './types.js';

/** Every permission bit set (what the bot gets as `app_permissions`). */
export const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();
/** Discord's default @everyone permissions. */
export const EVERYONE_PERMISSIONS = '2248473465835073';
const ADMINISTRATOR = 1n << 3n;
const JOINED_AT = '2024-01-01T00:00:00.000000+00:00';

/** A user object; `bot` marks the bot's own user. */
export function userJson(user: { id: string; username: string }, bot = false): ApiJson {
  return {
    id: user.id,
    username: user.username,
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot,
    system: false,
    public_flags: 0,
    flags: 0,
  };
}

/** A guild member (without `permissions`, which only interactions carry). */
export function memberJson(user: ApiJson, roles: string[]): ApiJson {
  return {
    user,
    roles,
    nick: null,
    avatar: null,
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
  };
}

/** Roles of a guild, @everyone (id = guild id) first. */
export function rolesOf(guild: FakeGuildSpec): ApiJson[] {
  const everyone = { id: guild.id, name: '@everyone', permissions: EVERYONE_PERMISSIONS };
  return [everyone, ...(guild.roles ?? [])].map((role, position) => ({
    ...role,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    managed: false,
    mentionable: false,
    flags: 0,
  }));
}

/** A member's permissions: owner → all, administrator → all, else @everyone | its roles. */
export function permissionsOf(guild: FakeGuildSpec, userId: string, roleIds: string[]): string {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  let bits = BigInt(EVERYONE_PERMISSIONS);
  for (const role of guild.roles ?? []) if (roleIds.includes(role.id)) bits |= BigInt(role.permissions);
  return bits & ADMINISTRATOR ? ALL_PERMISSIONS : bits.toString();
}

/** A guild text channel. */
export function guildChannelJson(
  guildId: string,
  channel: { id: string; name?: string },
  position = 0,
): ApiJson {
  return {
    id: channel.id,
    type: 0,
    guild_id: guildId,
    name: channel.name ?? `channel-${channel.id}`,
    position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** The DM channel between the bot and `recipient`. */
export function dmChannelJson(channelId: string, recipient: ApiJson): ApiJson {
  return { id: channelId, type: 1, recipients: [recipient], last_message_id: null, flags: 0 };
}

/** The full GUILD_CREATE payload, with the bot as a member. */
export function guildCreateJson(guild: FakeGuildSpec, bot: ApiJson, users: Map<string, FakeUser>): ApiJson {
  const members = (guild.members ?? []).map((m) =>
    memberJson(userJson(users.get(m.userId) ?? { id: m.userId, username: `user${m.userId}` }), m.roles),
  );
  members.push(memberJson(bot, []));
  return {
    id: guild.id,
    name: guild.name ?? `guild-${guild.id}`,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId ?? '100000000000000001',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    features: [],
    roles: rolesOf(guild),
    emojis: [],
    stickers: [],
    soundboard_sounds: [],
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    max_members: 500000,
    joined_at: JOINED_AT,
    large: false,
    unavailable: false,
    member_count: members.length,
    members,
    channels: guild.channels.map((c, i) => guildChannelJson(guild.id, c, i)),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}
