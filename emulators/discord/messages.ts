/** Creating, editing (Discord's merge semantics), deleting and serializing messages. */
import { snowflake } from './ids.js';
import {
  type FakeState,
  INTENT_DIRECT_MESSAGES,
  INTENT_GUILD_MESSAGES,
  type InteractionRecord,
  type StoredMessage,
} from './state.js';
import type { ApiJson, FakeAttachment, RestFile } from './types.js';

export const EPHEMERAL = 64;
export const LOADING = 128;
/** Flags a message may be created with (suppress embeds, ephemeral, suppress notifications, components v2). */
const CREATE_FLAGS = 4 | EPHEMERAL | 4096 | 32768;
const EDIT_FLAGS = 4 | 32768;

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function guessType(file: RestFile): string {
  if (file.contentType && file.contentType !== 'application/octet-stream') return file.contentType;
  return MIME[file.filename.split('.').pop()?.toLowerCase() ?? ''] ?? file.contentType;
}

/**
 * The attachments after a create/edit: `refs` undefined → keep `existing` and add the uploads; else keep
 * the existing ones listed by id, and add uploads (referenced as `{id: n}` for part `files[n]`, or unlisted).
 */
function resolveAttachments(
  state: FakeState,
  refs: ApiJson[] | undefined,
  files: RestFile[],
  existing: FakeAttachment[],
): FakeAttachment[] {
  const store = (f: RestFile, name?: string) =>
    state.storeAttachment({ filename: name ?? f.filename, contentType: guessType(f), data: f.data });
  if (!Array.isArray(refs)) return [...existing, ...files.map((f) => store(f))];
  const byIndex = new Map(files.map((f, i) => [/\[(\d+)\]/.exec(f.field)?.[1] ?? String(i), f]));
  const used = new Set<RestFile>();
  const out: FakeAttachment[] = [];
  for (const ref of refs) {
    const id = String(ref?.id);
    const kept = existing.find((a) => a.id === id);
    const file = byIndex.get(id);
    if (kept) out.push(kept);
    else if (file && !used.has(file)) {
      used.add(file);
      out.push(store(file, typeof ref.filename === 'string' ? ref.filename : undefined));
    }
  }
  for (const f of files) if (!used.has(f)) out.push(store(f));
  return out;
}

function snapshot(m: StoredMessage): void {
  m.history.push({
    content: m.content,
    embeds: structuredClone(m.embeds),
    components: structuredClone(m.components),
    attachmentNames: m.attachments.map((a) => a.filename),
    flags: m.flags,
  });
}

/** Sends MESSAGE_CREATE/UPDATE/DELETE for a non-ephemeral message when echoing is on. */
function echo(state: FakeState, event: string, m: StoredMessage, data: ApiJson): void {
  if (m.ephemeral || (!state.opts.echoBotMessages && m.authorId === state.opts.botUser.id)) return;
  const intent = m.guildId ? INTENT_GUILD_MESSAGES : INTENT_DIRECT_MESSAGES;
  state.dispatch(event, { ...data, channel_type: state.channels.get(m.channelId)?.type ?? 0 }, intent);
}

export interface CreateInit {
  id?: string;
  channelId: string;
  guildId: string | null;
  type: number;
  body: ApiJson;
  files: RestFile[];
  /** Flags forced on top of the allowed flags of the body (e.g. LOADING). */
  extraFlags?: number;
  interaction?: InteractionRecord | null;
  webhookToken?: string | null;
}

/** Creates a bot message, notifies waiters and echoes it on the gateway. */
export function createBotMessage(state: FakeState, init: CreateInit): StoredMessage {
  const body = init.body ?? {};
  const flags = ((Number(body.flags) || 0) & CREATE_FLAGS) | (init.extraFlags ?? 0);
  const ix = init.interaction ?? null;
  const m: StoredMessage = {
    id: init.id ?? snowflake(),
    channelId: init.channelId,
    guildId: init.guildId,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    attachments: resolveAttachments(state, body.attachments, init.files, []),
    flags,
    authorId: state.opts.botUser.id,
    interactionId: ix?.id ?? null,
    ephemeral: (flags & EPHEMERAL) !== 0,
    editCount: 0,
    history: [],
    deleted: false,
    ...(body.message_reference ? { messageReference: body.message_reference } : {}),
    webhookToken: init.webhookToken ?? null,
    type: init.type,
    author: state.botUserJson(),
    createdAt: state.now(),
    editedAt: null,
    interactionMeta: ix
      ? {
          id: ix.id,
          type: ix.type,
          user: state.userJsonOf(ix.user.id),
          authorizing_integration_owners: { 0: ix.guildId ?? '0' },
          ...(ix.originalMessageId && ix.originalMessageId !== init.id
            ? { original_response_message_id: ix.originalMessageId }
            : {}),
        }
      : null,
  };
  snapshot(m);
  state.messages.set(m.id, m);
  state.messageWaiters.notify(m);
  echo(state, 'MESSAGE_CREATE', m, serializeMessage(state, m));
  return m;
}

/** Applies an edit: only the fields present change; the loading flag goes away. */
export function editMessage(state: FakeState, m: StoredMessage, body: ApiJson, files: RestFile[]): void {
  const b = body ?? {};
  if ('content' in b) m.content = typeof b.content === 'string' ? b.content : '';
  if ('embeds' in b) m.embeds = Array.isArray(b.embeds) ? b.embeds : [];
  if ('components' in b) m.components = Array.isArray(b.components) ? b.components : [];
  if ('attachments' in b || files.length) {
    m.attachments = resolveAttachments(state, b.attachments ?? undefined, files, m.attachments);
  }
  if (typeof b.flags === 'number') m.flags = (m.flags & EPHEMERAL) | (b.flags & EDIT_FLAGS);
  m.flags &= ~LOADING;
  m.editCount += 1;
  m.editedAt = state.now();
  snapshot(m);
  state.messageWaiters.notify(m);
  echo(state, 'MESSAGE_UPDATE', m, serializeMessage(state, m));
}

/** Marks a message deleted (it stays in `messages` with `deleted: true`). */
export function deleteStoredMessage(state: FakeState, m: StoredMessage): void {
  m.deleted = true;
  state.messageWaiters.notify(m);
  echo(state, 'MESSAGE_DELETE', m, {
    id: m.id,
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
  });
}

/** The message JSON Discord returns. */
export function serializeMessage(state: FakeState, m: StoredMessage): ApiJson {
  const iso = (ms: number) => new Date(ms).toISOString();
  const fromInteraction = m.interactionId !== null;
  return {
    id: m.id,
    type: m.type,
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: m.author,
    content: m.content,
    embeds: m.embeds,
    components: m.components,
    attachments: m.attachments.map((a) => state.attachmentJson(a)),
    flags: m.flags,
    timestamp: iso(m.createdAt),
    edited_timestamp: m.editedAt === null ? null : iso(m.editedAt),
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    pinned: false,
    ...(fromInteraction
      ? { webhook_id: state.opts.applicationId, application_id: state.opts.applicationId }
      : {}),
    ...(m.interactionMeta ? { interaction_metadata: m.interactionMeta } : {}),
    ...(m.messageReference ? { message_reference: m.messageReference } : {}),
  };
}

/** A bot or user message by id (null when unknown). */
export function findMessage(state: FakeState, id: string): StoredMessage | null {
  return state.messages.get(id) ?? state.userMessages.get(id) ?? null;
}
