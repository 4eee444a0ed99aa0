import type Keyv from 'keyv';
import type { Clock } from '../util/clock.js';

/** Who may press a job's buttons: its requester (and server managers), or anyone. */
export type ButtonPolicy = 'requester' | 'anyone';

/** What a server's managers set with `/mj-admin`. Empty lists mean "no restriction". */
export interface GuildSettings {
  /** Channels where jobs may be started; empty → every channel. */
  channels: string[];
  /** Roles of which a member needs one to start jobs; empty → everyone. */
  roles: string[];
  /** Users who may not start jobs in this server. */
  blockedUsers: string[];
  /** null → the bot's default (`BUTTON_POLICY`). */
  buttonPolicy: ButtonPolicy | null;
}

export const DEFAULT_GUILD_SETTINGS: Readonly<GuildSettings> = Object.freeze({
  channels: [],
  roles: [],
  blockedUsers: [],
  buttonPolicy: null,
});

/**
 * Per-server settings on the jobs' keyv (`guild:<id>`), cached in memory: the router reads them for every
 * interaction from a server, so button checks can read them synchronously ({@link GuildSettingsStore.peek}).
 */
export class GuildSettingsStore {
  private readonly cache = new Map<string, { settings: GuildSettings; at: number }>();
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * `shared`: other processes change the settings too (a Redis store), so a cached copy is read again once it is
   * `maxAgeMs` old (on the clock); without it, this process is the only writer and the cache never goes stale.
   */
  constructor(
    private readonly keyv: Keyv,
    private readonly shared: { clock: Clock; maxAgeMs: number } | null = null,
  ) {}

  /** The server's settings (loaded once, then from memory; read again when stale on a shared store). */
  async get(guildId: string): Promise<GuildSettings> {
    const known = this.cache.get(guildId);
    const now = this.shared?.clock.now() ?? 0;
    if (known && (!this.shared || now - known.at < this.shared.maxAgeMs)) return known.settings;
    const settings = await this.read(guildId);
    this.cache.set(guildId, { settings, at: now });
    return settings;
  }

  private async read(guildId: string): Promise<GuildSettings> {
    const stored = (await this.keyv.get<Partial<GuildSettings>>(`guild:${guildId}`)) ?? {};
    return { ...DEFAULT_GUILD_SETTINGS, ...stored };
  }

  /** The settings as last loaded; the defaults when the server's were never loaded. */
  peek(guildId: string): GuildSettings {
    return this.cache.get(guildId)?.settings ?? DEFAULT_GUILD_SETTINGS;
  }

  /** Changes a server's settings in one serialised read-modify-write; returns the result. */
  update(guildId: string, change: (current: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    const run = async () => {
      // On a shared store, from the stored settings: another process may have changed them.
      const next = change(this.shared ? await this.read(guildId) : await this.get(guildId));
      await this.keyv.set(`guild:${guildId}`, next);
      this.cache.set(guildId, { settings: next, at: this.shared?.clock.now() ?? 0 });
      return next;
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** `list` with `id` added (once) or removed. */
export function toggled(list: readonly string[], id: string, present: boolean): string[] {
  const rest = list.filter((x) => x !== id);
  return present ? [...rest, id] : rest;
}
