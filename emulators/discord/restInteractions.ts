/** Interaction callbacks and interaction webhooks (`@original`, follow-ups), authorised by the token. */

import { spendChannelBudget } from './budget.js';
import { errors, type Reply } from './http.js';
import { snowflake } from './ids.js';
import {
  createBotMessage,
  deleteStoredMessage,
  EPHEMERAL,
  editMessage,
  LOADING,
  serializeMessage,
} from './messages.js';
import type { Route, RouteCtx } from './route.js';
import type { FakeState, InteractionRecord, StoredMessage } from './state.js';
import type { ApiJson } from './types.js';
import { validateMessage, validateModal } from './validate.js';

const ok = (body: unknown): Reply => ({ status: 200, body });
const isReply = (x: object): x is Reply => 'status' in x;

/** The interaction behind a webhook token, or the error Discord gives. */
function byToken({ state, params }: RouteCtx): InteractionRecord | Reply {
  const token = params.token ?? '';
  const record = state.tokens.get(token);
  if (state.expired.has(token)) return { ...errors.invalidWebhookToken(), injected: true };
  if (record && state.tokenExpired(record)) return errors.invalidWebhookToken();
  if (!record || params.app !== state.opts.applicationId) return errors.unknownWebhook();
  return record;
}

/** A message the token may touch: `@original`, or one it created. */
function tokenMessage(ctx: RouteCtx): { record: InteractionRecord; m: StoredMessage } | Reply {
  const record = byToken(ctx);
  if (isReply(record)) return record;
  const id = ctx.params.message === '@original' ? record.originalMessageId : (ctx.params.message ?? null);
  const m = id ? ctx.state.messages.get(id) : undefined;
  if (!m || m.deleted || (m.id !== record.originalMessageId && m.webhookToken !== record.token)) {
    return errors.unknownMessage();
  }
  return { record, m };
}

/** Applies callback `type`; returns the message it produced, or an error reply. */
function applyCallback(
  state: FakeState,
  record: InteractionRecord,
  type: number,
  data: ApiJson,
  ctx: RouteCtx,
) {
  const { files } = ctx.body;
  const source = record.sourceMessageId ? state.messages.get(record.sourceMessageId) : undefined;
  const create = (body: ApiJson, extraFlags = 0) => {
    record.originalMessageId = snowflake();
    const messageType = record.type === 2 ? 20 : 0;
    return createBotMessage(state, {
      id: record.originalMessageId,
      channelId: record.channelId,
      guildId: record.guildId,
      type: messageType,
      body,
      files,
      extraFlags,
      interaction: record,
      webhookToken: record.token,
    });
  };
  const limit = state.opts.uploadLimitBytes;
  switch (type) {
    case 4:
      return validateMessage(data, files, null, limit, ['data']) ?? create(data);
    case 5:
      return create({ content: '', flags: (data?.flags ?? 0) & EPHEMERAL }, LOADING);
    case 6:
    case 7: {
      if (!source || source.deleted) return errors.unknownMessage();
      const invalid = type === 7 ? validateMessage(data, files, source, limit, ['data']) : null;
      if (invalid) return invalid;
      record.originalMessageId = source.id;
      record.editCountAtAck = source.editCount;
      if (type === 7) editMessage(state, source, data, files);
      return type === 7 ? source : null;
    }
    case 9: {
      const invalid = validateModal(data, record.type);
      if (invalid) return invalid;
      state.modals.push({ customId: data.custom_id, interactionId: record.id, data });
      return null;
    }
    case 8:
    case 10:
      return null;
    default:
      return errors.notFound();
  }
}

function callback(ctx: RouteCtx): Reply {
  const { state, params, body, query } = ctx;
  const record = state.interactions.get(params.interaction ?? '');
  if (
    !record ||
    record.token !== params.token ||
    state.expired.has(record.token) ||
    state.tokenExpired(record)
  )
    return errors.unknownInteraction();
  const late = state.opts.ackTimeoutMs !== null && state.now() - record.createdAt > state.opts.ackTimeoutMs;
  if (late && record.callbackType === null) return errors.unknownInteraction();
  if (record.callbackType !== null) return errors.alreadyAcknowledged();
  const type = Number(body.json?.type);
  const data = body.json?.data ?? {};
  record.callbackType = type;
  const result = applyCallback(state, record, type, data, ctx);
  if (result && isReply(result)) {
    record.callbackType = null;
    record.originalMessageId = null;
    return result;
  }
  record.settle({ type, ...(body.json?.data !== undefined ? { data } : {}) });
  if (query.get('with_response') !== 'true') return { status: 204 };
  const message = result ?? undefined;
  return ok({
    interaction: {
      id: record.id,
      type: record.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: (message.flags & LOADING) !== 0,
            response_message_ephemeral: message.ephemeral,
          }
        : {}),
    },
    resource: { type, ...(message ? { message: serializeMessage(state, message) } : {}) },
  });
}

function followUp(ctx: RouteCtx): Reply {
  const { state, body } = ctx;
  const record = byToken(ctx);
  if (isReply(record)) return record;
  if (record.callbackType === null) return errors.unknownWebhook();
  return spendChannelBudget(state, record.channelId, () => {
    const invalid = validateMessage(body.json, body.files, null, state.opts.uploadLimitBytes);
    if (invalid) return invalid;
    const m = createBotMessage(state, {
      channelId: record.channelId,
      guildId: record.guildId,
      type: 0,
      body: body.json,
      files: body.files,
      interaction: record,
      webhookToken: record.token,
    });
    return ok(serializeMessage(state, m));
  });
}

export const interactionRoutes: Route[] = [
  { method: 'POST', pattern: '/interactions/:interaction/:token/callback', bot: false, handle: callback },
  { method: 'POST', pattern: '/webhooks/:app/:token', bot: false, handle: followUp },
  {
    method: 'GET',
    pattern: '/webhooks/:app/:token/messages/:message',
    bot: false,
    handle: (ctx) => {
      const found = tokenMessage(ctx);
      return isReply(found) ? found : ok(serializeMessage(ctx.state, found.m));
    },
  },
  {
    method: 'PATCH',
    pattern: '/webhooks/:app/:token/messages/:message',
    bot: false,
    handle: (ctx) => {
      const { state, body } = ctx;
      const found = tokenMessage(ctx);
      if (isReply(found)) return found;
      return spendChannelBudget(state, found.m.channelId, () => {
        const invalid = validateMessage(body.json, body.files, found.m, state.opts.uploadLimitBytes);
        if (invalid) return invalid;
        editMessage(state, found.m, body.json, body.files);
        return ok(serializeMessage(state, found.m));
      });
    },
  },
  {
    method: 'DELETE',
    pattern: '/webhooks/:app/:token/messages/:message',
    bot: false,
    handle: (ctx) => {
      const found = tokenMessage(ctx);
      if (isReply(found)) return found;
      deleteStoredMessage(ctx.state, found.m);
      return { status: 204 };
    },
  },
];
