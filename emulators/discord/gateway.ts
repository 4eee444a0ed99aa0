/** The gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay, dispatches. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { randomToken } from './ids.js';
import { guildCreateJson } from './payloads.js';
import type { FakeState } from './state.js';
import type { ApiJson } from './types.js';

interface Session {
  id: string;
  seq: number;
  intents: number;
  /** `[shard_id, num_shards]` from IDENTIFY (default `[0, 1]`). */
  shard: [number, number];
  log: { s: number; t: string; d: ApiJson }[];
  socket: WebSocket | null;
}

const LOG_LIMIT = 1000;

export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly state: FakeState) {
    state.dispatch = (t, d, intent) => this.dispatch(t, d, intent);
    this.#wss.on('connection', (socket) => this.#onConnection(socket));
  }

  /** Hands an HTTP upgrade to the WebSocket server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  /**
   * Sends a dispatch to every session of the shard it belongs to (queued for resume while disconnected): as
   * Discord does, a guild's events go to shard `(guild_id >> 22) % num_shards`, everything else (DMs) to shard 0.
   */
  dispatch(t: string, d: ApiJson, intent?: number): void {
    for (const session of this.#sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      if (shardOf(d?.guild_id ?? null, session.shard[1]) !== session.shard[0]) continue;
      this.#send(session, t, d);
    }
  }

  /** Drops every socket without a close frame (like a crash or network loss); sessions stay resumable. */
  disconnectAll(): void {
    for (const session of this.#sessions.values()) session.socket?.terminate();
  }

  /** Number of identified, connected sockets. */
  get connected(): number {
    return [...this.#sessions.values()].filter((s) => s.socket).length;
  }

  close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#sessions.clear();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  #send(session: Session, t: string, d: ApiJson): void {
    session.seq += 1;
    session.log.push({ s: session.seq, t, d });
    if (session.log.length > LOG_LIMIT) session.log.shift();
    session.socket?.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  }

  #onConnection(socket: WebSocket): void {
    let session: Session | null = null;
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.state.opts.heartbeatIntervalMs } }));
    socket.on('message', (raw) => {
      let payload: ApiJson;
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      else if (payload.op === 2) session = this.#identify(socket, payload.d);
      else if (payload.op === 6) session = this.#resume(socket, payload.d);
    });
    socket.on('close', (code) => {
      if (!session || session.socket !== socket) return;
      session.socket = null;
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    });
  }

  #tokenOk(token: unknown): boolean {
    return String(token).replace(/^Bot /, '') === this.state.opts.token;
  }

  #identify(socket: WebSocket, d: ApiJson): Session | null {
    if (!this.#tokenOk(d?.token)) {
      socket.close(4004, 'Authentication failed.');
      return null;
    }
    const { opts } = this.state;
    const shard = shardOfIdentify(d?.shard);
    if (!shard) {
      socket.close(4010, 'Invalid shard.');
      return null;
    }
    const guilds = opts.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    const session: Session = {
      id: randomToken('session-'),
      seq: 0,
      intents: Number(d.intents) || 0,
      shard,
      log: [],
      socket,
    };
    this.#sessions.set(session.id, session);
    this.#send(session, 'READY', {
      v: 10,
      user: { ...this.state.botUserJson(), verified: true, mfa_enabled: false },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.state.gatewayUrl,
      session_type: 'normal',
      shard,
      application: { id: opts.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      user_settings: {},
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const guild of guilds) {
      this.#send(session, 'GUILD_CREATE', guildCreateJson(guild, this.state.botUserJson(), this.state.users));
    }
    return session;
  }

  #resume(socket: WebSocket, d: ApiJson): Session | null {
    const session = this.#sessions.get(String(d?.session_id));
    if (!session || !this.#tokenOk(d?.token)) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return null;
    }
    session.socket?.terminate();
    session.socket = socket;
    const from = Number(d.seq) || 0;
    for (const e of session.log)
      if (e.s > from) socket.send(JSON.stringify({ op: 0, t: e.t, s: e.s, d: e.d }));
    this.#send(session, 'RESUMED', {});
    return session;
  }
}

/** The shard a guild's events go to (`(guild_id >> 22) % num_shards`); no guild (DMs): shard 0. */
export function shardOf(guildId: unknown, count: number): number {
  if (typeof guildId !== 'string' || !/^\d+$/.test(guildId) || count <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** IDENTIFY's `shard: [id, count]` (absent: `[0, 1]`); null when it is not a valid pair (Discord closes 4010). */
function shardOfIdentify(raw: unknown): [number, number] | null {
  if (raw === undefined || raw === null) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count] = raw.map(Number) as [number, number];
  return Number.isInteger(id) && Number.isInteger(count) && count >= 1 && id >= 0 && id < count
    ? [id, count]
    : null;
}
