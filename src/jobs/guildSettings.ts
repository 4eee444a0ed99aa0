import type Keyv from 'keyv';

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
  private readonly cache = new Map<string, GuildSettings>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly keyv: Keyv) {}

  /** The server's settings (loaded once, then from memory). */
  async get(guildId: string): Promise<GuildSettings> {
    const known = this.cache.get(guildId);
    if (known) return known;
    const stored = (await this.keyv.get<Partial<GuildSettings>>(`guild:${guildId}`)) ?? {};
    const settings = { ...DEFAULT_GUILD_SETTINGS, ...stored };
    this.cache.set(guildId, settings);
    return settings;
  }

  /** The settings as last loaded; the defaults when the server's were never loaded. */
  peek(guildId: string): GuildSettings {
    return this.cache.get(guildId) ?? DEFAULT_GUILD_SETTINGS;
  }

  /** Changes a server's settings in one serialised read-modify-write; returns the result. */
  update(guildId: string, change: (current: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    const run = async () => {
      const next = change(await this.get(guildId));
      await this.keyv.set(`guild:${guildId}`, next);
      this.cache.set(guildId, next);
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
