/** Building INTERACTION_CREATE payloads and the handles tests get back. */
import { assertSnowflake, randomToken, snowflakeAt } from './ids.js';
import { LOADING } from './messages.js';
import { ALL_PERMISSIONS, memberJson, permissionsOf } from './payloads.js';
import type { FakeState, InteractionRecord } from './state.js';
import type { ApiJson, FakeUser, InteractionHandle, InteractionResponse } from './types.js';

/** Where and by whom an interaction happens. */
export interface InteractionContext {
  user: FakeUser;
  guildId?: string | null;
  channelId?: string | null;
  locale?: string;
  memberPermissions?: string;
  memberRoles?: string[];
  sourceMessageId?: string | null;
}

/** Resolves guild/channel (default: the guild's first channel, or the user's DM) and checks they exist. */
export function placeOf(
  state: FakeState,
  ctx: InteractionContext,
): { guildId: string | null; channelId: string } {
  if (ctx.guildId) {
    const guild = state.guild(ctx.guildId);
    if (!guild) throw new Error(`FakeDiscord: unknown guild ${ctx.guildId}`);
    const channelId = ctx.channelId ?? guild.channels[0]?.id;
    if (!channelId || state.channels.get(channelId)?.guildId !== guild.id) {
      throw new Error(`FakeDiscord: channel ${channelId} is not a channel of guild ${guild.id}`);
    }
    return { guildId: guild.id, channelId };
  }
  const dm = state.dmChannelFor(ctx.user.id);
  if (ctx.channelId && ctx.channelId !== dm) {
    throw new Error(
      `FakeDiscord: channel ${ctx.channelId} needs a guildId (DM channel of the user is ${dm})`,
    );
  }
  return { guildId: null, channelId: dm };
}

/** Creates the record and the full INTERACTION_CREATE payload. */
export function buildInteraction(
  state: FakeState,
  type: number,
  ctx: InteractionContext,
  data: ApiJson,
  extra: ApiJson = {},
): { record: InteractionRecord; payload: ApiJson } {
  assertSnowflake(ctx.user.id, 'user id');
  state.registerUser(ctx.user);
  const { guildId, channelId } = placeOf(state, ctx);
  const id = snowflakeAt(state.now());
  const token = randomToken('aW50ZXJhY3Rpb24');
  const user = state.userJsonOf(ctx.user.id);
  const record: InteractionRecord = {
    id,
    token,
    type,
    user: ctx.user,
    channelId,
    guildId,
    createdAt: state.now(),
    callbackType: null,
    originalMessageId: null,
    editCountAtAck: 0,
    sourceMessageId: ctx.sourceMessageId ?? null,
    settle: () => {},
    cancel: () => {},
  };
  let where: ApiJson = { user, context: 1 };
  if (guildId) {
    const guild = state.guild(guildId)!;
    const roles = ctx.memberRoles ?? guild.members?.find((m) => m.userId === ctx.user.id)?.roles ?? [];
    const permissions = ctx.memberPermissions ?? permissionsOf(guild, ctx.user.id, roles);
    where = {
      guild_id: guildId,
      guild: { id: guildId, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      member: { ...memberJson(user, roles), permissions },
      context: 0,
    };
  }
  const payload = {
    id,
    application_id: state.opts.applicationId,
    type,
    token,
    version: 1,
    data,
    channel: state.channelJson(channelId),
    channel_id: channelId,
    app_permissions: ALL_PERMISSIONS,
    locale: ctx.locale ?? ctx.user.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: { 0: guildId ?? '0' },
    attachment_size_limit: state.opts.uploadLimitBytes,
    ...where,
    ...extra,
  };
  state.interactions.set(id, record);
  state.tokens.set(token, record);
  return { record, payload };
}

/** Whether `m` is the message an interaction's response produced, in its settled state. */
function isResponseMessage(
  record: InteractionRecord,
  m: { id: string; flags: number; editCount: number },
): boolean {
  if (record.originalMessageId !== m.id) return false;
  if (record.callbackType === 5) return (m.flags & LOADING) === 0;
  if (record.callbackType === 6) return m.editCount > record.editCountAtAck;
  return record.callbackType === 4 || record.callbackType === 7;
}

/** Dispatches the interaction and returns the handle tests use. */
export function dispatchInteraction(
  state: FakeState,
  record: InteractionRecord,
  payload: ApiJson,
): InteractionHandle {
  const timeoutMs = state.opts.defaultTimeoutMs;
  const response = new Promise<InteractionResponse>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`interaction ${record.id}: no callback within ${timeoutMs} ms\n${state.describeCalls()}`),
        ),
      timeoutMs,
    );
    timer.unref();
    record.settle = (r) => {
      clearTimeout(timer);
      resolve(r);
    };
    record.cancel = () => clearTimeout(timer);
  });
  response.catch(() => {});
  state.dispatch('INTERACTION_CREATE', payload);
  return {
    id: record.id,
    token: record.token,
    response,
    message: (opts) =>
      state.messageWaiters.wait(
        (m) => isResponseMessage(record, m),
        state.messages.values(),
        opts?.timeoutMs ?? timeoutMs,
        () =>
          `message of interaction ${record.id} (callback type ${record.callbackType})\n${state.describeMessages()}`,
      ),
  };
}
