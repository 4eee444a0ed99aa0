import type Keyv from 'keyv';

/**
 * The language each user's Discord client last reported (`locale:<userId>`), for messages that come with no
 * interaction (plain DMs) when the user chose no language in /settings. Written only when it changes.
 */
export class SeenLocales {
  private readonly known = new Map<string, string>();

  constructor(private readonly keyv: Keyv) {}

  async remember(userId: string, locale: string): Promise<void> {
    if (this.known.get(userId) === locale) return;
    this.known.set(userId, locale);
    await this.keyv.set(`locale:${userId}`, locale);
  }

  async get(userId: string): Promise<string | null> {
    const known = this.known.get(userId);
    if (known) return known;
    const stored = await this.keyv.get<string>(`locale:${userId}`);
    return typeof stored === 'string' ? stored : null;
  }
}
