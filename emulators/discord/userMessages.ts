/** Messages written by users (MESSAGE_CREATE), e.g. in a DM with the bot. */
import { assertSnowflake, snowflake } from './ids.js';
import { placeOf } from './interactions.js';
import { serializeMessage } from './messages.js';
import { memberJson } from './payloads.js';
import {
  type FakeState,
  INTENT_DIRECT_MESSAGES,
  INTENT_GUILD_MESSAGES,
  type StoredMessage,
} from './state.js';
import type { FakeAttachmentSpec, FakeUser } from './types.js';

export interface UserMessageSpec {
  user: FakeUser;
  content: string;
  /** Default: the user's DM channel with the bot (or the guild's first channel with `guildId`). */
  channelId?: string;
  guildId?: string;
  attachments?: FakeAttachmentSpec[];
}

/** Stores the message in `userMessages` and dispatches MESSAGE_CREATE (to clients with the matching intent). */
export function injectUserMessage(state: FakeState, spec: UserMessageSpec): StoredMessage {
  assertSnowflake(spec.user.id, 'user id');
  state.registerUser(spec.user);
  const { guildId, channelId } = placeOf(state, spec);
  const author = state.userJsonOf(spec.user.id);
  const m: StoredMessage = {
    id: snowflake(),
    channelId,
    guildId,
    content: spec.content,
    embeds: [],
    components: [],
    attachments: (spec.attachments ?? []).map((a) => state.storeAttachment(a)),
    flags: 0,
    authorId: spec.user.id,
    interactionId: null,
    ephemeral: false,
    editCount: 0,
    history: [],
    deleted: false,
    webhookToken: null,
    type: 0,
    author,
    createdAt: state.now(),
    editedAt: null,
    interactionMeta: null,
  };
  m.history.push({
    content: m.content,
    embeds: [],
    components: [],
    attachmentNames: m.attachments.map((a) => a.filename),
    flags: 0,
  });
  state.userMessages.set(m.id, m);
  const guild = guildId ? state.guild(guildId) : undefined;
  const roles = guild?.members?.find((x) => x.userId === spec.user.id)?.roles ?? [];
  const { user: _user, ...member } = memberJson(author, roles);
  const payload = {
    ...serializeMessage(state, m),
    channel_type: guildId ? 0 : 1,
    ...(guildId ? { member } : {}),
  };
  state.dispatch('MESSAGE_CREATE', payload, guildId ? INTENT_GUILD_MESSAGES : INTENT_DIRECT_MESSAGES);
  return m;
}
