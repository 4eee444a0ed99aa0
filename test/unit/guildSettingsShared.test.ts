import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { GuildSettingsStore } from '../../src/jobs/guildSettings.js';
import { FakeClock } from '../support/fakeClock.js';

describe('GuildSettingsStore on a shared store (several processes)', () => {
  it('sees a change another process made once its copy is 5 s old, and updates from the stored settings', async () => {
    const keyv = new Keyv(); // one store, two processes
    const clock = new FakeClock();
    const a = new GuildSettingsStore(keyv, { clock, maxAgeMs: 5_000 });
    const b = new GuildSettingsStore(keyv, { clock, maxAgeMs: 5_000 });
    expect((await a.get('g')).blockedUsers).toEqual([]);
    await b.update('g', (s) => ({ ...s, blockedUsers: ['u1'] }));
    await clock.advance(4_999);
    expect((await a.get('g')).blockedUsers).toEqual([]); // cached, not yet stale
    await clock.advance(1);
    expect((await a.get('g')).blockedUsers).toEqual(['u1']);
    expect(a.peek('g').blockedUsers).toEqual(['u1']);
    await b.update('g', (s) => ({ ...s, channels: ['c1'] }));
    await a.update('g', (s) => ({ ...s, roles: ['r1'] })); // no lost change of b's
    expect(await keyv.get('guild:g')).toMatchObject({
      blockedUsers: ['u1'],
      channels: ['c1'],
      roles: ['r1'],
    });
  });
});
