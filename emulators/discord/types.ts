/** Public types of the fake Discord used by tests. */

/** Raw Discord JSON (message components, embeds, interaction data) as the bot sent or will receive it. */
// biome-ignore lint/suspicious/noExplicitAny: raw Discord API JSON is untyped on purpose so tests can dig into it.
export type ApiJson = any;

/** A Discord user that takes part in a test (ids must be numeric-string snowflakes). */
export interface FakeUser {
  id: string;
  username: string;
  /** Locale sent on interactions (default 'en-US'). */
  locale?: string;
  /** Another bot (its messages carry `author.bot: true`). */
  bot?: boolean;
}

/** A file a user attaches (to a command option, a modal file upload or a message). */
export interface FakeAttachmentSpec {
  filename: string;
  /** Sent as given (tests may lie); omitted → no content_type. */
  contentType?: string;
  data: Buffer;
  /** Slash commands only: bind this attachment to an option of type 11 with that name (added if missing). */
  option?: string;
}

/** A guild announced to the bot through GUILD_CREATE. */
export interface FakeGuildSpec {
  id: string;
  name?: string;
  channels: { id: string; name?: string }[];
  ownerId?: string;
  /** Extra roles (the @everyone role, id = guild id, is always added). */
  roles?: { id: string; name: string; permissions: string }[];
  members?: { userId: string; roles: string[] }[];
}

/** Options of {@link FakeDiscord.start}. */
export interface FakeDiscordOptions {
  guilds?: FakeGuildSpec[];
  botUser?: { id: string; username: string };
  applicationId?: string;
  /** Bot token the fake expects (default: a random 'fake-token-…'). */
  token?: string;
  /** Per-channel budget for message create/edit calls (webhook and channel routes); 429 beyond it. */
  channelRateLimit?: { limit: number; windowMs: number };
  /**
   * The bot-wide limit: calls made with the bot token (not the interaction routes, which Discord exempts) beyond
   * `limit` per `windowMs` (Discord: 50 per second) get 429 with `X-RateLimit-Global`. Counted in fixed windows
   * from the first call, as discord.js counts them. Off by default.
   */
  globalRateLimit?: { limit: number; windowMs: number };
  /** Clock used for rate limits, timestamps and call times (default Date.now). */
  now?: () => number;
  /**
   * Interactions not acknowledged within this many ms (on `now`) get 10062 Unknown interaction, as on Discord
   * (default 3000; `null` turns the deadline off).
   */
  ackTimeoutMs?: number | null;
  /** Interaction tokens older than this (on `now`) get 401 / 50027 Invalid Webhook Token (default 15 min). */
  tokenLifetimeMs?: number;
  /** Largest accepted upload per file and `attachment_size_limit` of interactions (default 10 MiB). */
  uploadLimitBytes?: number;
  /** Gateway heartbeat interval sent in HELLO (default 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Also dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own non-ephemeral messages (default true). */
  echoBotMessages?: boolean;
  /** Default timeout of the wait helpers and of `InteractionHandle.response` (default 10 000 ms). */
  defaultTimeoutMs?: number;
}

/** A stored attachment; its bytes are served at `url` by the fake itself. */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  contentType: string | null;
  url: string;
  data: Buffer;
}

/** The state of a message after its creation or one of its edits. */
export interface FakeMessageSnapshot {
  content: string;
  embeds: ApiJson[];
  components: ApiJson[];
  attachmentNames: string[];
  flags: number;
}

/**
 * A message as the fake stores it. The object is live: later edits mutate it (see `history` for past states).
 */
export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  content: string;
  embeds: ApiJson[];
  components: ApiJson[];
  attachments: FakeAttachment[];
  flags: number;
  authorId: string;
  /** Interaction whose response or follow-up created it. */
  interactionId: string | null;
  /** flags & 64 */
  ephemeral: boolean;
  /** Number of edits after creation. */
  editCount: number;
  /** Snapshot after creation, then one per edit (last = current state). */
  history: FakeMessageSnapshot[];
  deleted: boolean;
  messageReference?: ApiJson;
  /** Interaction token that created it (null for channel posts). */
  webhookToken: string | null;
}

/** A file part of a multipart request. */
export interface RestFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One HTTP call the bot made (REST, plus downloads of `/attachments/...`). */
export interface RestCall {
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Route pattern, e.g. `/webhooks/:app/:token/messages/:message` (`unknown` when nothing matched). */
  route: string;
  query: Record<string, string>;
  status: number;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body. */
  body: ApiJson;
  files: RestFile[];
  auth: 'bot' | 'none';
  /** Time from the fake's clock. */
  at: number;
  /** The JSON the fake answered (Discord's `{ code, message, errors }` for an error). */
  answer?: unknown;
  /** The answer was a fault a test injected with `failNext`. */
  injected?: boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
}

/** What the bot answered on `/interactions/{id}/{token}/callback`. */
export interface InteractionResponse {
  type: number;
  data?: ApiJson;
}

/** Handle on an injected interaction. */
export interface InteractionHandle {
  id: string;
  token: string;
  /** Resolves with the callback body; rejects after the default timeout if the bot never answers. */
  response: Promise<InteractionResponse>;
  /**
   * The message of the response, once it is there: type 4 → the reply; type 5 → the reply once edited (no
   * longer loading); type 7 → the updated message; type 6 → the component's message after its next edit.
   */
  message(opts?: WaitOptions): Promise<FakeMessage>;
}

/** Which REST calls {@link FakeDiscord.failNext} applies to. */
export interface FaultMatch {
  method?: string;
  pathIncludes?: string | RegExp;
}

/** The error a faulted call returns. */
export interface Fault {
  status: number;
  code?: number;
  message?: string;
  headers?: Record<string, string>;
}
