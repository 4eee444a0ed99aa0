/** Shared mutable state of the fake: users, channels, messages, interactions, calls, faults. */
import { randomToken, snowflake } from './ids.js';
import { dmChannelJson, guildChannelJson, userJson } from './payloads.js';
import { ChannelRateLimiter, GlobalRateLimiter } from './ratelimit.js';
import type {
  ApiJson,
  FakeAttachment,
  FakeDiscordOptions,
  FakeGuildSpec,
  FakeMessage,
  FakeUser,
  Fault,
  FaultMatch,
  InteractionResponse,
  RestCall,
} from './types.js';
import { Waiters } from './waiters.js';

/** Gateway intents the fake filters message events by. */
export const INTENT_GUILD_MESSAGES = 1 << 9;
export const INTENT_DIRECT_MESSAGES = 1 << 12;

export interface ChannelInfo {
  id: string;
  type: 0 | 1;
  guildId: string | null;
  name?: string;
  recipientId?: string;
}

/** A message plus what is needed to serialize it. */
export interface StoredMessage extends FakeMessage {
  type: number;
  author: ApiJson;
  createdAt: number;
  editedAt: number | null;
  interactionMeta: ApiJson | null;
}

/** An injected interaction and how the bot answered it. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  user: FakeUser;
  channelId: string;
  guildId: string | null;
  createdAt: number;
  callbackType: number | null;
  /** The message `@original` designates (reply, deferred placeholder, or the component's message). */
  originalMessageId: string | null;
  editCountAtAck: number;
  /** The message whose component was used (components, modals opened from a message). */
  sourceMessageId: string | null;
  settle: (response: InteractionResponse) => void;
  cancel: () => void;
}

export type ResolvedOptions = Required<
  Omit<FakeDiscordOptions, 'channelRateLimit' | 'globalRateLimit' | 'ackTimeoutMs'>
> &
  Pick<FakeDiscordOptions, 'channelRateLimit' | 'globalRateLimit'> & { ackTimeoutMs: number | null };

/** Fills the defaults of {@link FakeDiscordOptions}. */
export function resolveOptions(opts: FakeDiscordOptions): ResolvedOptions {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const botUser = opts.botUser ?? { id: '100000000000000100', username: 'fake-bot' };
  return {
    guilds: [],
    applicationId: botUser.id,
    token: randomToken('fake-token-'),
    now: Date.now,
    uploadLimitBytes: 10 * 1024 * 1024,
    heartbeatIntervalMs: 41_250,
    echoBotMessages: true,
    defaultTimeoutMs: 10_000,
    ackTimeoutMs: 3_000,
    tokenLifetimeMs: 15 * 60_000,
    ...defined,
    botUser,
  };
}

export class FakeState {
  baseUrl = '';
  gatewayUrl = '';
  readonly messages = new Map<string, StoredMessage>();
  readonly userMessages = new Map<string, StoredMessage>();
  readonly channels = new Map<string, ChannelInfo>();
  readonly users = new Map<string, FakeUser>();
  readonly dmByUser = new Map<string, string>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly tokens = new Map<string, InteractionRecord>();
  readonly expired = new Set<string>();
  readonly attachments = new Map<string, FakeAttachment>();
  readonly calls: RestCall[] = [];
  readonly commands = { global: [] as ApiJson[], guilds: new Map<string, ApiJson[]>() };
  /** Ids made up for commands injected without being registered, by name. */
  readonly commandIds = new Map<string, string>();
  readonly modals: { customId: string; interactionId: string; data: ApiJson }[] = [];
  readonly faults: { match: FaultMatch; fault: Fault; times: number }[] = [];
  readonly messageWaiters = new Waiters<FakeMessage>();
  readonly callWaiters = new Waiters<RestCall>();
  /** Listeners told of every recorded HTTP call, i.e. after each change the bot made (see `FakeDiscord.onCall`). */
  readonly callObservers = new Set<(call: RestCall) => void>();
  readonly limiter: ChannelRateLimiter | null;
  readonly globalLimiter: GlobalRateLimiter | null;
  rateLimited = 0;
  /** While set, attachment downloads wait for it (see `FakeDiscord.holdDownloads`). */
  downloadHold: { requested: () => void; released: Promise<void> } | null = null;
  /** Sends a gateway dispatch; wired by the gateway. `intent` filters message events. */
  dispatch: (event: string, data: ApiJson, intent?: number) => void = () => {};

  constructor(readonly opts: ResolvedOptions) {
    const rl = opts.channelRateLimit;
    this.limiter = rl ? new ChannelRateLimiter(rl.limit, rl.windowMs, opts.now) : null;
    const gl = opts.globalRateLimit;
    this.globalLimiter = gl ? new GlobalRateLimiter(gl.limit, gl.windowMs, opts.now) : null;
    for (const guild of opts.guilds) {
      for (const c of guild.channels)
        this.channels.set(c.id, { id: c.id, type: 0, guildId: guild.id, name: c.name });
    }
  }

  now(): number {
    return this.opts.now();
  }

  /** Whether the interaction's token is past its lifetime (15 minutes on the fake's clock, like Discord). */
  tokenExpired(record: InteractionRecord): boolean {
    return this.now() - record.createdAt > this.opts.tokenLifetimeMs;
  }

  guild(id: string): FakeGuildSpec | undefined {
    return this.opts.guilds.find((g) => g.id === id);
  }

  botUserJson(): ApiJson {
    return userJson(this.opts.botUser, true);
  }

  userJsonOf(id: string): ApiJson {
    if (id === this.opts.botUser.id) return this.botUserJson();
    const user = this.users.get(id) ?? { id, username: `user${id}` };
    return userJson(user, user.bot === true);
  }

  registerUser(user: FakeUser): void {
    this.users.set(user.id, { ...this.users.get(user.id), ...user });
  }

  /** The DM channel between the bot and `userId`, created on first use. */
  dmChannelFor(userId: string): string {
    const existing = this.dmByUser.get(userId);
    if (existing) return existing;
    const id = snowflake();
    this.dmByUser.set(userId, id);
    this.channels.set(id, { id, type: 1, guildId: null, recipientId: userId });
    return id;
  }

  channelJson(id: string): ApiJson | undefined {
    const channel = this.channels.get(id);
    if (!channel) return undefined;
    if (channel.type === 1) return dmChannelJson(id, this.userJsonOf(channel.recipientId ?? ''));
    const guild = this.guild(channel.guildId ?? '');
    return guildChannelJson(
      channel.guildId ?? '',
      channel,
      guild?.channels.findIndex((c) => c.id === id),
    );
  }

  storeAttachment(file: { filename: string; contentType?: string | null; data: Buffer }): FakeAttachment {
    const id = snowflake();
    const attachment: FakeAttachment = {
      id,
      filename: file.filename,
      size: file.data.length,
      contentType: file.contentType ?? null,
      url: `${this.baseUrl}/attachments/${id}/${encodeURIComponent(file.filename)}`,
      data: file.data,
    };
    this.attachments.set(id, attachment);
    return attachment;
  }

  /** Discord's attachment object for `attachment`. */
  attachmentJson(a: FakeAttachment): ApiJson {
    return {
      id: a.id,
      filename: a.filename,
      size: a.size,
      url: a.url,
      proxy_url: a.url,
      ...(a.contentType ? { content_type: a.contentType } : {}),
    };
  }

  recordCall(call: RestCall): void {
    this.calls.push(call);
    this.callWaiters.notify(call);
    for (const observe of this.callObservers) observe(call);
  }

  /** Pops the first fault matching this call, if any. */
  takeFault(method: string, path: string): Fault | null {
    const index = this.faults.findIndex(({ match }) => {
      if (match.method && match.method.toUpperCase() !== method) return false;
      const p = match.pathIncludes;
      if (p === undefined) return true;
      return typeof p === 'string' ? path.includes(p) : p.test(path);
    });
    const entry = this.faults[index];
    if (!entry) return null;
    entry.times -= 1;
    if (entry.times <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  /** A readable dump of the bot's messages (for timeout errors). */
  describeMessages(): string {
    const lines = [...this.messages.values()].map((m) => {
      const parts = [`content=${JSON.stringify(m.content)}`, `flags=${m.flags}`, `edits=${m.editCount}`];
      if (m.attachments.length) parts.push(`files=${m.attachments.map((a) => a.filename).join(',')}`);
      if (m.components.length) parts.push(`components=${JSON.stringify(m.components).slice(0, 300)}`);
      if (m.deleted) parts.push('DELETED');
      return `  #${m.id} channel=${m.channelId} ${parts.join(' ')}`;
    });
    return `current messages (${lines.length}):\n${lines.join('\n') || '  (none)'}`;
  }

  describeCalls(): string {
    const lines = this.calls.map((c) => `  ${c.method} ${c.path} → ${c.status}`);
    return `calls so far (${lines.length}):\n${lines.join('\n') || '  (none)'}`;
  }
}
