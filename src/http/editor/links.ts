import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Keyv from 'keyv';
import type { Clock } from '../../util/clock.js';

/** Who pressed Vary (Region), where, and on which button: what an editor link is bound to. */
export interface EditorPress {
  jobId: string;
  /** The Vary (Region) button's index on the job. */
  index: number;
  /** The presser: the child job's owner. */
  userId: string;
  /** The presser's Discord language when they pressed. */
  locale: string;
  guildId: string | null;
  channelId: string;
  /** The presser had Manage Server when they pressed. */
  manager: boolean;
}

/** A link's signed content: the press, a deadline and a nonce (single use). */
export interface EditorClaims extends EditorPress {
  /** Expiry, ms since the epoch. */
  exp: number;
  nonce: string;
}

/** Why a link is refused. */
export type LinkRefusal = 'forged' | 'expired' | 'used';
export type LinkCheck = { ok: true; claims: EditorClaims } | { ok: false; reason: LinkRefusal };

const USED = 'editor:used:';
/** Longest token accepted: a real one is about 300 characters. */
const MAX_TOKEN = 1024;

/**
 * Signed, short-lived, single-use editor links: `<payload>.<HMAC-SHA256>`, both base64url. The key is derived from
 * the callback secret (given or generated and stored, see `http/secret.ts`), so links survive a restart. A nonce
 * is consumed in the store when a submit is accepted; a consumed, expired or altered token is refused.
 */
export class EditorLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly o: { keyv: Keyv; clock: Clock; ttlMs: number },
  ) {
    this.key = createHmac('sha256', secret).update('mj-bot editor links v1').digest();
  }

  /** A token for these claims, valid for the configured time from now. */
  sign(claims: Omit<EditorClaims, 'exp' | 'nonce'>): string {
    const full: EditorClaims = {
      ...claims,
      exp: this.o.clock.now() + this.o.ttlMs,
      nonce: randomBytes(12).toString('base64url'),
    };
    const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims of a genuine, unexpired, unused token. */
  async verify(token: string): Promise<LinkCheck> {
    const claims = this.read(token);
    if (!claims) return { ok: false, reason: 'forged' };
    if (this.o.clock.now() >= claims.exp) return { ok: false, reason: 'expired' };
    if (await this.o.keyv.get(USED + claims.nonce)) return { ok: false, reason: 'used' };
    return { ok: true, claims };
  }

  /** Marks the link used; false when it already was. */
  async consume(claims: EditorClaims): Promise<boolean> {
    if (await this.o.keyv.get(USED + claims.nonce)) return false;
    // Kept a day past the expiry: an expired token is refused by its date anyway.
    const ttl = Math.max(claims.exp - this.o.clock.now(), 0) + 86_400_000;
    await this.o.keyv.set(USED + claims.nonce, 1, ttl);
    return true;
  }

  /** Gives a consumed link back (the submit was refused before anything was sent). */
  async release(claims: EditorClaims): Promise<void> {
    await this.o.keyv.delete(USED + claims.nonce);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  /** The claims of a token whose signature matches (checked in constant time), else null. */
  private read(token: string): EditorClaims | null {
    if (token.length > MAX_TOKEN) return null;
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    try {
      const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as EditorClaims;
      const valid =
        typeof c.jobId === 'string' &&
        Number.isInteger(c.index) &&
        typeof c.userId === 'string' &&
        typeof c.exp === 'number' &&
        typeof c.nonce === 'string';
      return valid ? c : null;
    } catch {
      return null;
    }
  }
}
