/** Bot-token routes: gateway info, users, DM channels, commands, channels and channel messages. */

import { spendChannelBudget } from './budget.js';
import { errors, type Reply } from './http.js';
import { snowflake } from './ids.js';
import {
  createBotMessage,
  deleteStoredMessage,
  editMessage,
  findMessage,
  serializeMessage,
} from './messages.js';
import type { Route, RouteCtx } from './route.js';
import type { FakeState, StoredMessage } from './state.js';
import type { ApiJson } from './types.js';
import { validateMessage } from './validate.js';

const ok = (body: unknown): Reply => ({ status: 200, body });

/** Normalises registered commands like Discord does (ids kept per name across overwrites). */
function registerCommands(state: FakeState, previous: ApiJson[], body: ApiJson, guildId?: string): ApiJson[] {
  const list: ApiJson[] = Array.isArray(body) ? body : [];
  return list.map((c) => ({
    type: 1,
    description: '',
    options: [],
    default_member_permissions: null,
    nsfw: false,
    ...c,
    id: previous.find((p) => p.name === c.name && (p.type ?? 1) === (c.type ?? 1))?.id ?? snowflake(),
    application_id: state.opts.applicationId,
    version: snowflake(),
    ...(guildId ? { guild_id: guildId } : {}),
  }));
}

/** Localization maps of commands, options and choices. */
function withoutLocalizations(value: ApiJson): ApiJson {
  if (Array.isArray(value)) return value.map(withoutLocalizations);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'name_localizations' && k !== 'description_localizations')
      .map(([k, v]) => [k, withoutLocalizations(v)]),
  );
}

/** `GET …/commands`: Discord includes the localization maps only with `with_localizations=true`. */
function asListed(commands: ApiJson[], query: URLSearchParams): ApiJson[] {
  return query.get('with_localizations') === 'true' ? commands : withoutLocalizations(commands);
}

/** The bot's own, visible message `m` of channel `c`, or the error Discord gives. */
function channelMessage({ state, params }: RouteCtx): StoredMessage | Reply {
  if (!state.channels.has(params.channel ?? '')) return errors.unknownChannel();
  const m = findMessage(state, params.message ?? '');
  if (!m || m.deleted || m.ephemeral || m.channelId !== params.channel) return errors.unknownMessage();
  return m;
}

const isReply = (x: StoredMessage | Reply): x is Reply => 'status' in x;

export const channelRoutes: Route[] = [
  { method: 'GET', pattern: '/gateway', bot: false, handle: ({ state }) => ok({ url: state.gatewayUrl }) },
  {
    method: 'GET',
    pattern: '/gateway/bot',
    bot: true,
    handle: ({ state }) =>
      ok({
        url: state.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
  },
  { method: 'GET', pattern: '/users/@me', bot: true, handle: ({ state }) => ok(state.botUserJson()) },
  {
    method: 'GET',
    pattern: '/users/:user',
    bot: true,
    handle: ({ state, params }) => {
      const id = params.user ?? '';
      return state.users.has(id) || id === state.opts.botUser.id
        ? ok(state.userJsonOf(id))
        : errors.unknownUser();
    },
  },
  {
    method: 'POST',
    pattern: '/users/@me/channels',
    bot: true,
    handle: ({ state, body }) => {
      const userId = String(body.json?.recipient_id ?? '');
      if (!state.users.has(userId)) return errors.unknownUser();
      return ok(state.channelJson(state.dmChannelFor(userId)));
    },
  },
  {
    method: 'GET',
    pattern: '/applications/@me',
    bot: true,
    handle: ({ state }) =>
      ok({
        id: state.opts.applicationId,
        name: state.opts.botUser.username,
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        bot: state.botUserJson(),
        flags: 0,
        verify_key: '0',
        team: null,
        owner: state.userJsonOf('100000000000000001'),
      }),
  },
  {
    method: 'GET',
    pattern: '/applications/:app/commands',
    bot: true,
    handle: ({ state, query }) => ok(asListed(state.commands.global, query)),
  },
  {
    method: 'PUT',
    pattern: '/applications/:app/commands',
    bot: true,
    handle: ({ state, body }) => {
      state.commands.global = registerCommands(state, state.commands.global, body.json);
      return ok(state.commands.global);
    },
  },
  {
    method: 'GET',
    pattern: '/applications/:app/guilds/:guild/commands',
    bot: true,
    handle: ({ state, params, query }) =>
      ok(asListed(state.commands.guilds.get(params.guild ?? '') ?? [], query)),
  },
  {
    method: 'PUT',
    pattern: '/applications/:app/guilds/:guild/commands',
    bot: true,
    handle: ({ state, params, body }) => {
      const guildId = params.guild ?? '';
      const list = registerCommands(state, state.commands.guilds.get(guildId) ?? [], body.json, guildId);
      state.commands.guilds.set(guildId, list);
      return ok(list);
    },
  },
  {
    method: 'GET',
    pattern: '/channels/:channel',
    bot: true,
    handle: ({ state, params }) => {
      const channel = state.channelJson(params.channel ?? '');
      return channel ? ok(channel) : errors.unknownChannel();
    },
  },
  {
    method: 'GET',
    pattern: '/channels/:channel/messages',
    bot: true,
    handle: ({ state, params, query }) => {
      if (!state.channels.has(params.channel ?? '')) return errors.unknownChannel();
      const limit = Math.min(100, Number(query.get('limit') ?? 50));
      const all = [...state.messages.values(), ...state.userMessages.values()]
        .filter((m) => m.channelId === params.channel && !m.deleted && !m.ephemeral)
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      return ok(all.slice(0, limit).map((m) => serializeMessage(state, m)));
    },
  },
  {
    method: 'POST',
    pattern: '/channels/:channel/messages',
    bot: true,
    handle: ({ state, params, body }) => {
      const channel = state.channels.get(params.channel ?? '');
      if (!channel) return errors.unknownChannel();
      return spendChannelBudget(state, channel.id, () => {
        const invalid = validateMessage(body.json, body.files, null, state.opts.uploadLimitBytes);
        if (invalid) return invalid;
        const json = { ...body.json, flags: (body.json?.flags ?? 0) & ~64 };
        const type = json.message_reference ? 19 : 0;
        const init = { channelId: channel.id, guildId: channel.guildId, type, body: json, files: body.files };
        return ok(serializeMessage(state, createBotMessage(state, init)));
      });
    },
  },
  {
    method: 'GET',
    pattern: '/channels/:channel/messages/:message',
    bot: true,
    handle: (ctx) => {
      const m = channelMessage(ctx);
      return isReply(m) ? m : ok(serializeMessage(ctx.state, m));
    },
  },
  {
    method: 'PATCH',
    pattern: '/channels/:channel/messages/:message',
    bot: true,
    handle: (ctx) => {
      const { state, body } = ctx;
      const m = channelMessage(ctx);
      if (isReply(m)) return m;
      if (m.authorId !== state.opts.botUser.id) return errors.notAuthor();
      return spendChannelBudget(state, m.channelId, () => {
        const invalid = validateMessage(body.json, body.files, m, state.opts.uploadLimitBytes);
        if (invalid) return invalid;
        editMessage(state, m, body.json, body.files);
        return ok(serializeMessage(state, m));
      });
    },
  },
  {
    method: 'DELETE',
    pattern: '/channels/:channel/messages/:message',
    bot: true,
    handle: (ctx) => {
      const m = channelMessage(ctx);
      if (isReply(m)) return m;
      deleteStoredMessage(ctx.state, m);
      return { status: 204 };
    },
  },
];
