import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { EditorLinks } from '../../src/http/editor/links.js';
import { FakeClock } from '../support/fakeClock.js';

const PRESS = {
  jobId: 'job-1',
  index: 7,
  userId: '300000000000000001',
  locale: 'zh-CN',
  guildId: '200000000000000001',
  channelId: '200000000000000002',
  manager: false,
};
const TTL = 15 * 60_000;

function links(secret = 'callback-secret-0123456789', clock = new FakeClock(), keyv = new Keyv()) {
  return { links: new EditorLinks(secret, { keyv, clock, ttlMs: TTL }), clock, keyv };
}

/** A token with one character of its payload or signature changed. */
function flip(token: string, at: number): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + c + token.slice(at + 1);
}

describe('editor links', () => {
  it('carries the press, an expiry TTL from now and a nonce', async () => {
    const { links: l, clock } = links();
    const check = await l.verify(l.sign(PRESS));
    expect(check).toEqual({
      ok: true,
      claims: { ...PRESS, exp: clock.now() + TTL, nonce: expect.stringMatching(/^[\w-]{16}$/) },
    });
  });

  it('gives each press its own token', () => {
    const { links: l } = links();
    expect(l.sign(PRESS)).not.toBe(l.sign(PRESS));
  });

  it('refuses a token whose payload or signature was changed, or another key signed', async () => {
    const { links: l, keyv, clock } = links();
    const token = l.sign(PRESS);
    const dot = token.indexOf('.');
    expect(await l.verify(flip(token, 5))).toEqual({ ok: false, reason: 'forged' });
    expect(await l.verify(flip(token, dot + 5))).toEqual({ ok: false, reason: 'forged' });
    // Someone else's claims with the signature of a real token.
    const payload = Buffer.from(JSON.stringify({ ...PRESS, userId: '300000000000000002' })).toString(
      'base64url',
    );
    expect(await l.verify(`${payload}${token.slice(dot)}`)).toEqual({ ok: false, reason: 'forged' });
    const other = new EditorLinks('another-secret-0123456789', { keyv, clock, ttlMs: TTL });
    expect(await l.verify(other.sign(PRESS))).toEqual({ ok: false, reason: 'forged' });
    for (const junk of ['', '.', 'abc', `${token}.x`, 'x'.repeat(5000)]) {
      expect(await l.verify(junk)).toEqual({ ok: false, reason: 'forged' });
    }
  });

  it('expires after its TTL on the injected clock', async () => {
    const { links: l, clock } = links();
    const token = l.sign(PRESS);
    await clock.advance(TTL - 1);
    expect((await l.verify(token)).ok).toBe(true);
    await clock.advance(1);
    expect(await l.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is single use: consumed once, refused after, given back by release', async () => {
    const { links: l } = links();
    const token = l.sign(PRESS);
    const check = await l.verify(token);
    if (!check.ok) throw new Error('fresh token refused');
    expect(await l.consume(check.claims)).toBe(true);
    expect(await l.consume(check.claims)).toBe(false);
    expect(await l.verify(token)).toEqual({ ok: false, reason: 'used' });
    await l.release(check.claims);
    expect((await l.verify(token)).ok).toBe(true);
  });

  it('survives a restart: the key comes from the secret, used nonces from the store', async () => {
    const keyv = new Keyv();
    const clock = new FakeClock();
    const first = links('callback-secret-0123456789', clock, keyv).links;
    const token = first.sign(PRESS);
    const check = await first.verify(token);
    if (!check.ok) throw new Error('fresh token refused');
    await first.consume(check.claims);
    const again = links('callback-secret-0123456789', clock, keyv).links;
    expect(await again.verify(token)).toEqual({ ok: false, reason: 'used' });
  });
});
