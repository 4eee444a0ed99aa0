/** The fake Discord (REST + gateway on 127.0.0.1) that a real discord.js Client logs into. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CommandOption, commandData } from './commands.js';
import { componentInteraction, type ModalSubmitSpec, modalInteraction } from './components.js';
import { Gateway } from './gateway.js';
import { assertSnowflake } from './ids.js';
import { buildInteraction, dispatchInteraction } from './interactions.js';
import { type MessageCommandSpec, messageCommandInteraction } from './messageCommands.js';
import { deleteStoredMessage } from './messages.js';
import { handleHttp } from './rest.js';
import { FakeState, resolveOptions } from './state.js';
import type {
  ApiJson,
  FakeAttachmentSpec,
  FakeDiscordOptions,
  FakeMessage,
  FakeUser,
  Fault,
  FaultMatch,
  InteractionHandle,
  RestCall,
  WaitOptions,
} from './types.js';
import { injectUserMessage, type UserMessageSpec } from './userMessages.js';

/** A slash command as a user would run it. `guildId` omitted → in the user's DM with the bot. */
export interface CommandSpec {
  name: string;
  user: FakeUser;
  guildId?: string;
  channelId?: string;
  options?: CommandOption[];
  attachments?: FakeAttachmentSpec[];
  locale?: string;
  memberPermissions?: string;
  memberRoles?: string[];
}

/** A click on a button of a bot message. */
export interface ClickSpec {
  messageId: string;
  customId: string;
  user: FakeUser;
  locale?: string;
  memberPermissions?: string;
}

/** A choice in a select menu of a bot message. */
export interface SelectSpec {
  messageId: string;
  customId: string;
  values: string[];
  user: FakeUser;
  locale?: string;
}

/**
 * A fake Discord for end-to-end tests: start it, point a real `Client` at {@link FakeDiscord.restApi}, log in
 * with {@link FakeDiscord.token}, then inject interactions and observe the messages the bot makes.
 */
export class FakeDiscord {
  /** Base REST URL for `new Client({ rest: { api } })`, e.g. `http://127.0.0.1:PORT/api`. */
  readonly restApi: string;
  readonly applicationId: string;
  readonly botUser: { id: string; username: string };
  readonly #state: FakeState;
  readonly #gateway: Gateway;
  readonly #server: Server;
  #closing: Promise<void> | undefined;

  private constructor(state: FakeState, gateway: Gateway, server: Server) {
    this.#state = state;
    this.#gateway = gateway;
    this.#server = server;
    this.restApi = `${state.baseUrl}/api`;
    this.applicationId = state.opts.applicationId;
    this.botUser = state.opts.botUser;
  }

  /** Starts the HTTP + WebSocket server on a free port of 127.0.0.1. */
  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const resolved = resolveOptions(opts);
    assertSnowflake(resolved.botUser.id, 'bot user id');
    assertSnowflake(resolved.applicationId, 'application id');
    for (const g of resolved.guilds) {
      assertSnowflake(g.id, 'guild id');
      for (const c of g.channels) assertSnowflake(c.id, 'channel id');
    }
    const state = new FakeState(resolved);
    const gateway = new Gateway(state);
    const server = createServer((req, res) => {
      handleHttp(state, req, res).catch((error) => res.writeHead(500).end(String(error)));
    });
    server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state.baseUrl = `http://127.0.0.1:${port}`;
    state.gatewayUrl = `ws://127.0.0.1:${port}`;
    return new FakeDiscord(state, gateway, server);
  }

  /** The bot token expected on `Authorization: Bot <token>` and in IDENTIFY. */
  get token(): string {
    return this.#state.opts.token;
  }
  set token(value: string) {
    this.#state.opts.token = value;
  }

  /** Every message the bot created (live objects), by id. */
  get messages(): Map<string, FakeMessage> {
    return this.#state.messages;
  }
  /** Messages injected with {@link FakeDiscord.userMessage}, by id. */
  get userMessages(): Map<string, FakeMessage> {
    return this.#state.userMessages;
  }
  /** Every HTTP call of the bot, in order (REST calls and attachment downloads). */
  get calls(): RestCall[] {
    return this.#state.calls;
  }
  /** Commands registered with the bulk-overwrite routes. */
  get commands(): { global: ApiJson[]; guilds: Map<string, ApiJson[]> } {
    return this.#state.commands;
  }
  /** Modals the bot showed (callback type 9), in order. */
  get modals(): readonly { customId: string; interactionId: string; data: ApiJson }[] {
    return this.#state.modals;
  }
  /** Number of 429s produced by the channel rate limiter. */
  get rateLimited(): number {
    return this.#state.rateLimited;
  }
  /** Number of gateway sockets currently connected and identified. */
  get connectedClients(): number {
    return this.#gateway.connected;
  }

  /** Dispatches an APPLICATION_COMMAND interaction (a DM when `guildId` is omitted). */
  command(spec: CommandSpec): InteractionHandle {
    const data = commandData(this.#state, spec.name, spec.guildId ?? null, spec.options, spec.attachments);
    const { record, payload } = buildInteraction(this.#state, 2, spec, data);
    return dispatchInteraction(this.#state, record, payload);
  }

  /** Dispatches an APPLICATION_COMMAND_AUTOCOMPLETE interaction: one of `options` is marked `focused`. */
  autocomplete(spec: CommandSpec): InteractionHandle {
    const data = commandData(this.#state, spec.name, spec.guildId ?? null, spec.options);
    const { record, payload } = buildInteraction(this.#state, 4, spec, data);
    return dispatchInteraction(this.#state, record, payload);
  }

  /** Dispatches a message context menu command (Apps menu) on a bot or user message; it must be registered. */
  messageCommand(spec: MessageCommandSpec): InteractionHandle {
    const { ctx, data } = messageCommandInteraction(this.#state, spec);
    const { record, payload } = buildInteraction(this.#state, 2, ctx, data);
    return dispatchInteraction(this.#state, record, payload);
  }

  /** Dispatches a MESSAGE_COMPONENT interaction for an existing, enabled button of a bot message. */
  clickButton(spec: ClickSpec): InteractionHandle {
    const { ctx, data, extra } = componentInteraction(this.#state, spec);
    const { record, payload } = buildInteraction(this.#state, 3, ctx, data, extra);
    return dispatchInteraction(this.#state, record, payload);
  }

  /** Dispatches a MESSAGE_COMPONENT interaction choosing `values` in a select menu of a bot message. */
  selectMenu(spec: SelectSpec): InteractionHandle {
    const { ctx, data, extra } = componentInteraction(this.#state, spec, spec.values);
    const { record, payload } = buildInteraction(this.#state, 3, ctx, data, extra);
    return dispatchInteraction(this.#state, record, payload);
  }

  /**
   * Dispatches a MODAL_SUBMIT. Text inputs come from `fields`, file uploads from `files` (by custom_id);
   * the layout mirrors the last modal the bot showed with that custom_id. The place defaults to the
   * message (`messageId`), else to where the modal was opened.
   */
  submitModal(spec: ModalSubmitSpec): InteractionHandle {
    const { ctx, data, extra } = modalInteraction(this.#state, spec);
    const { record, payload } = buildInteraction(this.#state, 5, ctx, data, extra);
    return dispatchInteraction(this.#state, record, payload);
  }

  /** Dispatches MESSAGE_CREATE for a user's message (default: in the user's DM with the bot). */
  async userMessage(spec: UserMessageSpec): Promise<FakeMessage> {
    return injectUserMessage(this.#state, spec);
  }

  /**
   * Resolves with the first bot message matching `pred` now, else at the next create/edit/delete that
   * matches; rejects after `timeoutMs` (default 10 s) listing the current messages.
   */
  waitForMessage(pred: (m: FakeMessage) => boolean, opts?: WaitOptions): Promise<FakeMessage> {
    const s = this.#state;
    const timeout = opts?.timeoutMs ?? s.opts.defaultTimeoutMs;
    return s.messageWaiters.wait(
      pred,
      s.messages.values(),
      timeout,
      () => `waitForMessage\n${s.describeMessages()}`,
    );
  }

  /** Like {@link FakeDiscord.waitForMessage}, for HTTP calls of the bot. */
  waitForCall(pred: (c: RestCall) => boolean, opts?: WaitOptions): Promise<RestCall> {
    const s = this.#state;
    const timeout = opts?.timeoutMs ?? s.opts.defaultTimeoutMs;
    return s.callWaiters.wait(pred, s.calls, timeout, () => `waitForCall\n${s.describeCalls()}`);
  }

  /** Id of the DM channel between the bot and `userId` (the one `POST /users/@me/channels` returns). */
  dmChannelFor(userId: string): string {
    assertSnowflake(userId, 'user id');
    if (!this.#state.users.has(userId)) this.#state.registerUser({ id: userId, username: `user${userId}` });
    return this.#state.dmChannelFor(userId);
  }

  /**
   * Calls `listener` after every HTTP call of the bot is answered (the state already changed: messages, commands,
   * modals); returns the function that unsubscribes. For observers such as the playground's live page.
   */
  onCall(listener: (call: RestCall) => void): () => void {
    this.#state.callObservers.add(listener);
    return () => this.#state.callObservers.delete(listener);
  }

  /**
   * Holds every attachment download (a slow CDN) until `release()`; `requested` resolves when the first one
   * arrives. Lets a test move the clock while the bot waits for bytes.
   */
  holdDownloads(): { requested: Promise<void>; release: () => void } {
    let requested!: () => void;
    let release!: () => void;
    const asked = new Promise<void>((resolve) => {
      requested = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#state.downloadHold = { requested, released };
    return {
      requested: asked,
      release: () => {
        this.#state.downloadHold = null;
        release();
      },
    };
  }

  /** Makes the next `times` REST calls matching `match` fail with `fault` (JSON `{code, message}`). */
  failNext(match: FaultMatch, fault: Fault, times = 1): void {
    this.#state.faults.push({ match, fault, times });
  }

  /** Later webhook calls with this interaction token get 401 {code: 50027} (callbacks get 10062). */
  expireToken(token: string): void {
    this.#state.expired.add(token);
  }

  /** Deletes a message as a moderator would: later GET/PATCH on it get 404 {code: 10008}. */
  deleteMessage(messageId: string): void {
    const m = this.#state.messages.get(messageId) ?? this.#state.userMessages.get(messageId);
    if (!m) throw new Error(`FakeDiscord: no message ${messageId}`);
    deleteStoredMessage(this.#state, m);
  }

  /** Drops every gateway socket (as a crash or network loss would); clients resume and get missed events. */
  disconnectGateway(): void {
    this.#gateway.disconnectAll();
  }

  /** Closes sockets and the server; pending waiters reject. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const s = this.#state;
    for (const record of s.interactions.values()) record.cancel();
    s.messageWaiters.cancelAll('FakeDiscord closed');
    s.callWaiters.cancelAll('FakeDiscord closed');
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
